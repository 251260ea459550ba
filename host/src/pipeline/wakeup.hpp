// What an input thread sleeps on between two polls: the host's side of the scheduling
// extensions (mafio.timer.v1, mafio.fd.v1 in plugin.h). An input that never used them is polled
// again after a short pause, as in ABI 1.0; one that did sleeps in poll(2) on its descriptors,
// its wake-up time and an eventfd that control actions (stop, pause, resume) signal, and so
// costs no CPU while it waits.
#pragma once

#include <mafio/plugin.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <vector>

namespace mafio {

class Wakeup {
public:
    Wakeup();
    ~Wakeup();
    Wakeup(const Wakeup &) = delete;
    Wakeup &operator=(const Wakeup &) = delete;

    // The plugin's requests, from its instance thread (or start()).
    mafio_status watch(int fd);
    void unwatch(int fd);
    void wake_at(int64_t monotonic_ns);

    // The host's own wake-up time for this input's thread, beside the plugin's (a filter's
    // mafio.hold.v1 process_at); 0 clears it. Not cleared when it fires. Any thread.
    void host_wake_at(int64_t monotonic_ns);

    // Ends the current or next wait() early. Any thread.
    void notify();

    // Sleeps until a watched fd is readable, the wake-up time (cleared when it fires), a
    // notify(), or for an input that never asked for scheduling, `unscheduled_pause`. The
    // input's thread only.
    void wait(std::chrono::milliseconds unscheduled_pause);

    // Between the runs of a scheduled input (README "Scheduling"): sleeps `ns` on the monotonic
    // clock, or until notify() or `extra_fd` (-1: none) is readable. The plugin's descriptors
    // and wake-up time do not count: it is not polled until its next run.
    void wait_idle(int64_t ns, int extra_fd);

    bool scheduled() const { return scheduled_.load(std::memory_order_relaxed); }

    static int64_t now_ns();

private:
    int event_fd_ = -1;
    std::mutex mutex_; // guards fds_ and deadline_ (set from start() on the main thread)
    std::vector<int> fds_;
    int64_t deadline_ns_ = 0;      // 0: none
    int64_t host_deadline_ns_ = 0; // 0: none
    std::atomic<bool> scheduled_{false};
};

} // namespace mafio
