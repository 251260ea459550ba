// A blocking queue bounded by the records (and bytes) of the batches in it. A full queue blocks
// the producer: backpressure, never a drop. One push or pop per batch, never per record.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>

namespace mafio {

template <class T> class BoundedQueue {
public:
    BoundedQueue(uint64_t max_records, uint64_t max_bytes)
        : max_records_(max_records), max_bytes_(max_bytes) {}

    // Blocks while the queue is full. A batch larger than the whole bound is admitted into an
    // empty queue, so no batch can wait forever. Returns false if the queue was closed.
    bool push(T item, uint64_t records, uint64_t bytes) {
        std::unique_lock lock(mutex_);
        not_full_.wait(lock, [&] {
            return closed_ || entries_.empty() ||
                   (records_ + records <= max_records_ && bytes_ + bytes <= max_bytes_);
        });
        if (closed_) return false;
        records_ += records;
        bytes_ += bytes;
        entries_.push_back(Entry{std::move(item), records, bytes});
        not_empty_.notify_one();
        // One producer is woken per pop; if room is left, pass the wake-up on to the next.
        if (records_ < max_records_ && bytes_ < max_bytes_) not_full_.notify_one();
        return true;
    }

    // Blocks until an item arrives; nullopt once the queue is closed and empty.
    std::optional<T> pop() {
        std::unique_lock lock(mutex_);
        not_empty_.wait(lock, [&] { return closed_ || !entries_.empty(); });
        if (entries_.empty()) return std::nullopt;
        Entry e = std::move(entries_.front());
        entries_.pop_front();
        records_ -= e.records;
        bytes_ -= e.bytes;
        // One waiter per freed slot, not all of them (a thundering herd of futex wake-ups on
        // every pop). A condition variable with no waiter costs no system call.
        not_full_.notify_one();
        if (entries_.empty()) emptied_.notify_all();
        return std::move(e.item);
    }

    // No more pushes; pops drain what is left.
    void close() {
        std::lock_guard lock(mutex_);
        closed_ = true;
        not_empty_.notify_all();
        not_full_.notify_all();
    }

    uint64_t records() const {
        std::lock_guard lock(mutex_);
        return records_;
    }
    uint64_t bytes() const {
        std::lock_guard lock(mutex_);
        return bytes_;
    }
    uint64_t max_records() const { return max_records_; }
    bool closed() const {
        std::lock_guard lock(mutex_);
        return closed_;
    }

    // Waits until the queue is empty or `timeout` passed. True when empty.
    template <class Duration> bool wait_empty_for(Duration timeout) {
        std::unique_lock lock(mutex_);
        return emptied_.wait_for(lock, timeout, [&] { return entries_.empty(); });
    }

private:
    struct Entry {
        T item;
        uint64_t records;
        uint64_t bytes;
    };
    const uint64_t max_records_;
    const uint64_t max_bytes_;
    mutable std::mutex mutex_;
    std::condition_variable not_full_, not_empty_, emptied_;
    std::deque<Entry> entries_;
    uint64_t records_ = 0, bytes_ = 0;
    bool closed_ = false;
};

} // namespace mafio
