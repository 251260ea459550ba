// What job plugins (exec:V1, command:V1) do with a child's output that goes to the agent's log:
// split into lines of bounded length, logged within a budget so that a chatty or looping
// command cannot flood the log, and how a child's end is described.
#pragma once

#include "child_process.hpp"

#include <mafio/plugin.hpp>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <unistd.h>

namespace mafio_plugins {

// Splits bytes into lines; a line longer than `max_line` bytes is cut there (the rest of it is
// passed as further pieces, each marked cut), so memory stays bounded whatever the child writes.
class OutputLines {
public:
    explicit OutputLines(size_t max_line = 2048) : max_line_(max_line) {}

    template <class F> void feed(std::string_view bytes, F &&on_line) {
        while (!bytes.empty()) {
            const size_t nl = bytes.find('\n');
            const std::string_view piece = bytes.substr(0, nl);
            const size_t room = max_line_ - partial_.size();
            if (piece.size() > room) {
                partial_.append(piece.substr(0, room));
                on_line(std::string_view(partial_));
                partial_.clear();
                bytes.remove_prefix(room);
                continue;
            }
            partial_.append(piece);
            if (nl == std::string_view::npos) return;
            on_line(std::string_view(partial_));
            partial_.clear();
            bytes.remove_prefix(nl + 1);
        }
    }
    // The unterminated last line, if any.
    template <class F> void finish(F &&on_line) {
        if (!partial_.empty()) on_line(std::string_view(partial_));
        partial_.clear();
    }

private:
    size_t max_line_;
    std::string partial_;
};

// At most `budget` lines per `window`; the lines beyond are counted and reported in one line
// when the next window opens (or at flush()).
class LogBudget {
public:
    explicit LogBudget(uint32_t budget = 20, std::chrono::seconds window = std::chrono::seconds(10))
        : budget_(budget), window_(window) {}

    void log(const mafio::Host &host, mafio_log_level level, const std::string &line) {
        const auto now = std::chrono::steady_clock::now();
        if (now - window_start_ >= window_) {
            flush(host);
            window_start_ = now;
            used_ = 0;
        }
        if (used_ >= budget_) {
            ++suppressed_;
            return;
        }
        ++used_;
        host.log(level, line);
    }
    void flush(const mafio::Host &host) {
        if (suppressed_ == 0) return;
        host.warn(std::to_string(suppressed_) + " lines of command output not logged (more than " +
                  std::to_string(budget_) + " in " + std::to_string(window_.count()) + " s)");
        suppressed_ = 0;
    }

private:
    uint32_t budget_;
    std::chrono::seconds window_;
    std::chrono::steady_clock::time_point window_start_{};
    uint32_t used_ = 0;
    uint64_t suppressed_ = 0;
};

// Reads what is there from a non-blocking pipe, at most `limit` bytes: the bytes read, or
// -1 when nothing is there now (EAGAIN), or 0 at end of file (or a read error: nothing more
// will come).
inline ssize_t read_some(int fd, std::string &into, size_t limit) {
    into.resize(limit);
    ssize_t n;
    do {
        n = ::read(fd, into.data(), limit);
    } while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        into.clear();
        return -1;
    }
    into.resize(n > 0 ? static_cast<size_t>(n) : 0);
    return n > 0 ? n : 0;
}

// "exit code 3", "killed by signal 9 (SIGKILL)", with "timed out after 2s, " in front when the
// timeout ended it.
inline std::string describe_exit(const ChildExit &e, bool timed_out, double timeout_s) {
    std::string s;
    if (timed_out) {
        char t[32];
        std::snprintf(t, sizeof t, "%g", timeout_s);
        s = std::string("timed out after ") + t + " s, ";
    }
    if (e.signal) {
        s += "killed by signal " + std::to_string(e.signal);
#ifdef __GLIBC__
        if (const char *abbrev = sigabbrev_np(e.signal)) s += std::string(" (SIG") + abbrev + ")";
#endif
        return s;
    }
    return s + "exit code " + std::to_string(e.code);
}

// A line of command output for the log: printable, with control bytes shown as '?'.
inline std::string loggable(std::string_view line) {
    std::string s(line);
    for (char &c : s)
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t') c = '?';
    return s;
}

} // namespace mafio_plugins
