// Running out of file descriptors, the pure parts (unit-tested in
// test/unit/test_filereader_v2_fds.cpp).
//
// A tailer with thousands of files can exhaust the process's descriptors (EMFILE) or the
// system's (ENFILE). That is a shortage, never a fact about the file: an open that fails for it
// is not a rotation or a deletion, the file keeps its position and is tried again later, and a
// scan that could not look everywhere concludes nothing about the files it did not see.
#pragma once

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace mafio_filereader {

inline bool out_of_descriptors(int err) {
    return err == EMFILE || err == ENFILE;
}

// The default of max_open_files, from the soft RLIMIT_NOFILE (which the agent raised to the
// hard limit at start): the limit minus a reserve for what else the agent holds (sockets of
// the HTTP API and outputs, checkpoint files, plugins, inotify, the log): a quarter of the
// limit, at least 64. E.g. 1024 -> 768, 65536 -> 49152, 256 -> 192; at least 1, at most the
// option's maximum (1000000). Several inputs each take this default: should they hold more
// than the process has together, the first failing open makes the input hold fewer (see
// DescriptorBudget), so nothing is lost, only spread.
constexpr size_t kMaxOpenFilesCeiling = 1000000;
inline uint64_t descriptor_reserve(uint64_t soft_limit) {
    return soft_limit / 4 > 64 ? soft_limit / 4 : 64;
}
inline size_t default_max_open_files(uint64_t soft_limit) {
    const uint64_t reserve = descriptor_reserve(soft_limit);
    if (soft_limit <= reserve) return 1;
    const uint64_t n = soft_limit - reserve;
    return n > kMaxOpenFilesCeiling ? kMaxOpenFilesCeiling : static_cast<size_t>(n);
}

// How many descriptors an input gives back when an open finds none left: an eighth of what it
// holds, at least 16, so the HTTP API, outputs and checkpoint stores can work again.
inline size_t descriptors_to_give_back(size_t held) {
    return held / 8 > 16 ? held / 8 : 16;
}

// After a shortage lowered an input's limit: the limit again, given that the process now uses
// `used` of `soft_limit` descriptors. It grows only by what is free beyond the reserve, and
// never past `configured` (max_open_files).
inline size_t regrown_limit(size_t limit, size_t configured, uint64_t soft_limit, uint64_t used) {
    const uint64_t free = soft_limit > used ? soft_limit - used : 0;
    const uint64_t reserve = descriptor_reserve(soft_limit);
    if (limit >= configured || free <= reserve) return limit;
    const uint64_t grown = limit + (free - reserve);
    return grown > configured ? configured : static_cast<size_t>(grown);
}

// Rate limit of a kind of log line: up to `burst` lines per `window`; the lines held back are
// counted, so the next line that passes can say how many there were.
class LogThrottle {
public:
    using Clock = std::chrono::steady_clock;
    LogThrottle(unsigned burst, Clock::duration window) : burst_(burst), window_(window) {}

    // Whether a line may be logged at `now`. When it may, take_suppressed() then says how many
    // were held back before it.
    bool allow(Clock::time_point now) {
        if (used_ == 0 || now >= window_start_ + window_) {
            window_start_ = now;
            used_ = 0;
        }
        if (used_ < burst_) {
            ++used_;
            return true;
        }
        ++suppressed_;
        return false;
    }
    uint64_t take_suppressed() {
        const uint64_t n = suppressed_;
        suppressed_ = 0;
        return n;
    }

private:
    unsigned burst_;
    Clock::duration window_;
    Clock::time_point window_start_{};
    unsigned used_ = 0;
    uint64_t suppressed_ = 0;
};

} // namespace mafio_filereader
