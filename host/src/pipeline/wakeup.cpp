#include "pipeline/wakeup.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>

namespace mafio {

Wakeup::Wakeup() : event_fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    if (event_fd_ < 0) std::abort(); // no descriptors left at start: nothing can run
}

Wakeup::~Wakeup() {
    ::close(event_fd_);
}

int64_t Wakeup::now_ns() {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

mafio_status Wakeup::watch(int fd) {
    std::lock_guard lock(mutex_);
    if (fd < 0) return MAFIO_ERR_INVALID;
    scheduled_ = true;
    if (std::find(fds_.begin(), fds_.end(), fd) != fds_.end()) return MAFIO_OK;
    if (fds_.size() >= MAFIO_FD_WATCH_LIMIT) return MAFIO_ERR_INVALID;
    fds_.push_back(fd);
    return MAFIO_OK;
}

void Wakeup::unwatch(int fd) {
    std::lock_guard lock(mutex_);
    fds_.erase(std::remove(fds_.begin(), fds_.end(), fd), fds_.end());
}

void Wakeup::wake_at(int64_t monotonic_ns) {
    std::lock_guard lock(mutex_);
    scheduled_ = true;
    deadline_ns_ = std::max<int64_t>(monotonic_ns, 1);
}

void Wakeup::host_wake_at(int64_t monotonic_ns) {
    {
        std::lock_guard lock(mutex_);
        host_deadline_ns_ = std::max<int64_t>(monotonic_ns, 0);
    }
    notify(); // a wait() in progress takes the new time into account
}

void Wakeup::notify() {
    uint64_t one = 1;
    // EAGAIN means the counter is already non-zero: a wake-up is pending anyway.
    [[maybe_unused]] ssize_t n = ::write(event_fd_, &one, sizeof one);
}

void Wakeup::wait(std::chrono::milliseconds unscheduled_pause) {
    pollfd fds[MAFIO_FD_WATCH_LIMIT + 1];
    nfds_t n = 0;
    fds[n++] = pollfd{event_fd_, POLLIN, 0};
    int timeout_ms;
    {
        std::lock_guard lock(mutex_);
        for (int fd : fds_)
            fds[n++] = pollfd{fd, POLLIN, 0};
        // Round up: waking a little late is fine, waking early means an idle poll.
        auto ms_until = [](int64_t at) {
            int64_t left = at - now_ns();
            return left <= 0
                       ? 0
                       : static_cast<int>(std::min<int64_t>((left + 999999) / 1000000, INT_MAX));
        };
        if (!scheduled_) {
            timeout_ms = static_cast<int>(unscheduled_pause.count());
        } else if (deadline_ns_ == 0) {
            timeout_ms = -1;
        } else {
            timeout_ms = ms_until(deadline_ns_);
        }
        if (host_deadline_ns_ != 0) {
            const int host_ms = ms_until(host_deadline_ns_);
            if (timeout_ms < 0 || host_ms < timeout_ms) timeout_ms = host_ms;
        }
    }
    int r = ::poll(fds, n, timeout_ms);
    if (r > 0 && (fds[0].revents & POLLIN)) {
        uint64_t v;
        [[maybe_unused]] ssize_t got = ::read(event_fd_, &v, sizeof v);
    }
    std::lock_guard lock(mutex_);
    if (deadline_ns_ != 0 && now_ns() >= deadline_ns_) deadline_ns_ = 0;
}

void Wakeup::wait_idle(int64_t ns, int extra_fd) {
    pollfd fds[2] = {{event_fd_, POLLIN, 0}, {extra_fd, POLLIN, 0}};
    // Round up: waking a little late is fine, waking early means an idle loop.
    const int timeout_ms =
        ns <= 0 ? 0 : static_cast<int>(std::min<int64_t>((ns + 999999) / 1000000, INT_MAX));
    int r = ::poll(fds, extra_fd >= 0 ? 2 : 1, timeout_ms);
    if (r > 0 && (fds[0].revents & POLLIN)) {
        uint64_t v;
        [[maybe_unused]] ssize_t got = ::read(event_fd_, &v, sizeof v);
    }
}

} // namespace mafio
