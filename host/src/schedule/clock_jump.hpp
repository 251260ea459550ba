// Notices that the wall clock was set (by an operator, NTP stepping it, a resumed VM): a timerfd
// on CLOCK_REALTIME armed with TFD_TIMER_CANCEL_ON_SET becomes readable when that happens. A
// scheduler sleeps on the monotonic clock and watches this descriptor too, so it wakes at once
// and recomputes its next fire time instead of firing an hour early or late.
#pragma once

#include <cstdint>

namespace mafio::schedule {

class ClockJumpWatch {
public:
    ClockJumpWatch();
    ~ClockJumpWatch();
    ClockJumpWatch(const ClockJumpWatch &) = delete;
    ClockJumpWatch &operator=(const ClockJumpWatch &) = delete;

    // -1 when the kernel has no such timer (then jumps are seen at the next wake-up only).
    int fd() const { return fd_; }
    // True when the clock was set since the last call; re-arms the watch.
    bool take();

private:
    void arm();
    int fd_ = -1;
};

int64_t wall_now_ns();
int64_t monotonic_now_ns();

} // namespace mafio::schedule
