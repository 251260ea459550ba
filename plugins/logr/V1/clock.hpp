// logr's wall clock and the local-midnight arithmetic of `rotate_daily`.
#pragma once

#include <cerrno>
#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

namespace logr_v1 {

// The first instant of the local day after the one holding `t`. mktime with tm_isdst = -1
// resolves a DST change itself; where midnight does not exist (clocks jump from 00:00 to
// 01:00) it normalises to the first instant that does, which is where that day starts.
inline time_t next_local_midnight(time_t t) {
    struct tm tm {};
    localtime_r(&t, &tm);
    tm.tm_mday += 1;
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    tm.tm_isdst = -1;
    const time_t next = mktime(&tm);
    return next > t ? next : t + 86400; // cannot happen with a sane zone; never loop on it
}

// Reading the clock is a vDSO call (no syscall); logr reads it at most once per write().
//
// MAFIO_LOGR_FAKE_NOW_OFFSET=<seconds> (test-only; integers, may be negative) shifts what logr
// takes for "now", so that tests cross midnight without waiting for it. File times (the mtime
// of a file left by an earlier run) are not shifted.
class Clock {
public:
    Clock() {
        if (const char *env = std::getenv("MAFIO_LOGR_FAKE_NOW_OFFSET")) {
            char *end = nullptr;
            errno = 0;
            const long long v = std::strtoll(env, &end, 10);
            if (*env == '\0' || *end != '\0' || errno != 0)
                bad_offset_ = std::string(env);
            else
                offset_ = static_cast<time_t>(v);
        }
    }
    time_t now() const {
        struct timespec ts {};
        clock_gettime(CLOCK_REALTIME, &ts);
        return ts.tv_sec + offset_;
    }
    time_t offset() const { return offset_; }
    // The variable's text when it is not an integer (the plugin refuses to start).
    const std::optional<std::string> &bad_offset() const { return bad_offset_; }

private:
    time_t offset_ = 0;
    std::optional<std::string> bad_offset_;
};

} // namespace logr_v1
