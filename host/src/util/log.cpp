#include "util/log.hpp"

#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <sys/stat.h>
#include <unistd.h>

namespace mafio::log {

namespace {
std::atomic<int> g_level{static_cast<int>(Level::info)};
// -1 until decided (first line), then 0 or 1.
std::atomic<int> g_timestamps{-1};

// syslog(3) priorities, which journald takes from a "<N>" at the start of a line.
char priority(Level l) {
    switch (l) {
    case Level::debug:
        return '7';
    case Level::info:
        return '6';
    case Level::warn:
        return '4';
    case Level::error:
        return '3';
    }
    return '6';
}

bool parse_u64(const char *first, const char *last, unsigned long long &out) {
    auto [end, ec] = std::from_chars(first, last, out);
    return ec == std::errc() && end == last && first != last;
}

const char *name(Level l) {
    switch (l) {
    case Level::debug:
        return "debug";
    case Level::info:
        return "info";
    case Level::warn:
        return "warn";
    case Level::error:
        return "error";
    }
    return "?";
}
} // namespace

void set_level(Level level) {
    g_level.store(static_cast<int>(level));
}
Level level() {
    return static_cast<Level>(g_level.load());
}
bool enabled(Level l) {
    return static_cast<int>(l) >= g_level.load(std::memory_order_relaxed);
}

bool parse_level(std::string_view text, Level &out) {
    for (Level l : {Level::debug, Level::info, Level::warn, Level::error}) {
        if (text == name(l)) {
            out = l;
            return true;
        }
    }
    return false;
}

bool is_journal_stream(const char *journal_stream, int fd) {
    if (journal_stream == nullptr) return false;
    const char *end = journal_stream + std::strlen(journal_stream);
    const char *colon = std::strchr(journal_stream, ':');
    unsigned long long dev = 0, ino = 0;
    if (colon == nullptr || !parse_u64(journal_stream, colon, dev) ||
        !parse_u64(colon + 1, end, ino))
        return false;
    struct stat st {};
    if (::fstat(fd, &st) != 0) return false;
    return static_cast<unsigned long long>(st.st_dev) == dev &&
           static_cast<unsigned long long>(st.st_ino) == ino;
}

bool timestamps() {
    int on = g_timestamps.load(std::memory_order_relaxed);
    if (on < 0) {
        on = is_journal_stream(std::getenv("JOURNAL_STREAM"), STDERR_FILENO) ? 0 : 1;
        g_timestamps.store(on, std::memory_order_relaxed);
    }
    return on == 1;
}

void set_timestamps(bool on) {
    g_timestamps.store(on ? 1 : 0, std::memory_order_relaxed);
}

std::string format_line(Level l, std::string_view where, std::string_view message) {
    std::string line;
    if (timestamps()) {
        using namespace std::chrono;
        auto now = system_clock::now();
        std::time_t t = system_clock::to_time_t(now);
        auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
        std::tm tm{};
        gmtime_r(&t, &tm);
        line =
            fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z {:<5} ", tm.tm_year + 1900,
                        tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms, name(l));
    } else {
        line = fmt::format("<{}>{:<5} ", priority(l), name(l));
    }
    if (!where.empty()) line += fmt::format("[{}] ", where);
    line.append(message);
    line.push_back('\n');
    return line;
}

void write(Level l, std::string_view where, std::string_view message) {
    const std::string line = format_line(l, where, message);
    const char *p = line.data();
    size_t left = line.size();
    while (left > 0) {
        ssize_t n = ::write(STDERR_FILENO, p, left);
        if (n <= 0) return; // stderr gone: nothing sensible left to do with a log line
        p += n;
        left -= static_cast<size_t>(n);
    }
}

} // namespace mafio::log
