#include "schedule/clock_jump.hpp"

#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

namespace mafio::schedule {

ClockJumpWatch::ClockJumpWatch() {
    fd_ = ::timerfd_create(CLOCK_REALTIME, TFD_CLOEXEC | TFD_NONBLOCK);
    arm();
}

ClockJumpWatch::~ClockJumpWatch() {
    if (fd_ >= 0) ::close(fd_);
}

// An absolute expiry far in the future: the timer itself never fires, only its cancellation.
void ClockJumpWatch::arm() {
    if (fd_ < 0) return;
    itimerspec far{};
    far.it_value.tv_sec = INT32_MAX;
    if (::timerfd_settime(fd_, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &far, nullptr) != 0) {
        ::close(fd_);
        fd_ = -1;
    }
}

bool ClockJumpWatch::take() {
    if (fd_ < 0) return false;
    uint64_t expirations;
    if (::read(fd_, &expirations, sizeof expirations) < 0 && errno == ECANCELED) {
        arm();
        return true;
    }
    return false;
}

static int64_t now_of(clockid_t clock) {
    timespec ts{};
    ::clock_gettime(clock, &ts);
    return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

int64_t wall_now_ns() {
    return now_of(CLOCK_REALTIME);
}
int64_t monotonic_now_ns() {
    return now_of(CLOCK_MONOTONIC);
}

} // namespace mafio::schedule
