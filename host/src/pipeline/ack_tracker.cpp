#include "pipeline/ack_tracker.hpp"

namespace mafio {

uint64_t AckTracker::begin() {
    std::lock_guard lock(mutex_);
    window_.emplace_back();
    return next_seq_++;
}

void AckTracker::finish(uint64_t seq, bool has_checkpoint, uint32_t stream,
                        std::vector<uint8_t> checkpoint) {
    std::lock_guard lock(mutex_);
    if (seq < front_seq_ || seq - front_seq_ >= window_.size()) return; // not ours: ignore
    Slot &slot = window_[seq - front_seq_];
    slot.finished = true;
    slot.has_checkpoint = has_checkpoint;
    slot.stream = stream;
    slot.checkpoint = std::move(checkpoint);
    while (!window_.empty() && window_.front().finished) {
        Slot &done = window_.front();
        if (done.has_checkpoint) {
            if (done.checkpoint.empty())
                committed_.erase(done.stream);
            else
                committed_[done.stream] = std::move(done.checkpoint);
            changed_ = true;
        }
        window_.pop_front();
        ++front_seq_;
    }
    if (window_.empty()) drained_.notify_all();
}

bool AckTracker::wait_drained(std::chrono::steady_clock::time_point deadline) const {
    std::unique_lock lock(mutex_);
    return drained_.wait_until(lock, deadline, [&] { return window_.empty(); });
}

void AckTracker::mark_changed() {
    std::lock_guard lock(mutex_);
    changed_ = true;
}

bool AckTracker::take_if_changed(CheckpointMap &out) {
    std::lock_guard lock(mutex_);
    if (!changed_) return false;
    out = committed_;
    changed_ = false;
    return true;
}

CheckpointMap AckTracker::committed() const {
    std::lock_guard lock(mutex_);
    return committed_;
}

uint64_t AckTracker::unfinished() const {
    std::lock_guard lock(mutex_);
    return window_.size();
}

} // namespace mafio
