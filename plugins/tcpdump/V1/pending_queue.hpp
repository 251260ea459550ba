// The records between the capture thread and the input's poll(). The capture cannot wait for
// the pipeline (the kernel would drop packets, unseen), so a live capture pushes without
// waiting and the caller counts a refused record as dropped; a file is read at the pipeline's
// pace (push waits). The consumer is told through an eventfd it watches with the host's poll:
// the fd becomes readable when the queue stops being empty or the producer is done.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <sys/eventfd.h>
#include <unistd.h>

namespace tcpdump_v1 {

struct PendingRecord {
    std::string bytes;
    int64_t ts_ns = 0;
};

class PendingQueue {
public:
    PendingQueue(size_t max_records, int notify_fd) : max_(max_records), fd_(notify_fd) {}

    // False when full (live) or closed; with `wait`, waits for room instead while open.
    bool push(PendingRecord &&r, bool wait) {
        std::unique_lock lock(mu_);
        if (wait) room_.wait(lock, [&] { return q_.size() < max_ || closed_; });
        if (closed_ || q_.size() >= max_) return false;
        const bool was_empty = q_.empty();
        q_.push_back(std::move(r));
        lock.unlock();
        if (was_empty) notify();
        return true;
    }

    // Moves at most `max` records into `out`.
    size_t pop(std::deque<PendingRecord> &out, size_t max) {
        std::lock_guard lock(mu_);
        size_t n = 0;
        while (n < max && !q_.empty()) {
            out.push_back(std::move(q_.front()));
            q_.pop_front();
            ++n;
        }
        if (n) room_.notify_all();
        return n;
    }

    // The producer has finished: the consumer ends once it has taken everything.
    void finish() {
        {
            std::lock_guard lock(mu_);
            done_ = true;
        }
        notify();
    }
    bool done() {
        std::lock_guard lock(mu_);
        return done_ && q_.empty();
    }
    // The consumer is gone (stop): a waiting push returns false; what is left is counted.
    size_t close() {
        std::lock_guard lock(mu_);
        closed_ = true;
        room_.notify_all();
        const size_t left = q_.size();
        q_.clear();
        return left;
    }
    size_t size() {
        std::lock_guard lock(mu_);
        return q_.size();
    }
    // Clears the eventfd before the consumer looks at the queue, so no wake-up is lost.
    void consume_notification() {
        uint64_t v;
        [[maybe_unused]] const ssize_t r = ::read(fd_, &v, sizeof v);
    }

private:
    void notify() {
        const uint64_t one = 1;
        [[maybe_unused]] const ssize_t r = ::write(fd_, &one, sizeof one);
    }

    std::mutex mu_;
    std::condition_variable room_;
    std::deque<PendingRecord> q_;
    size_t max_;
    int fd_;
    bool done_ = false, closed_ = false;
};

} // namespace tcpdump_v1
