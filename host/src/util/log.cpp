#include "util/log.hpp"

#include <atomic>
#include <chrono>
#include <ctime>
#include <unistd.h>

namespace mafio::log {

namespace {
std::atomic<int> g_level{static_cast<int>(Level::info)};

const char *name(Level l) {
    switch (l) {
    case Level::debug: return "debug";
    case Level::info: return "info";
    case Level::warn: return "warn";
    case Level::error: return "error";
    }
    return "?";
}
} // namespace

void set_level(Level level) { g_level.store(static_cast<int>(level)); }
Level level() { return static_cast<Level>(g_level.load()); }
bool enabled(Level l) { return static_cast<int>(l) >= g_level.load(std::memory_order_relaxed); }

bool parse_level(std::string_view text, Level &out) {
    for (Level l : {Level::debug, Level::info, Level::warn, Level::error}) {
        if (text == name(l)) {
            out = l;
            return true;
        }
    }
    return false;
}

std::string format_line(Level l, std::string_view where, std::string_view message) {
    using namespace std::chrono;
    auto now = system_clock::now();
    std::time_t t = system_clock::to_time_t(now);
    auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::string line = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z {:<5} ",
                                   tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                                   tm.tm_min, tm.tm_sec, ms, name(l));
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
