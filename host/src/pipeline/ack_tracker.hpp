// Commits an input's checkpoints in emit order. Batches finish out of order (a batch that
// filters emptied finishes at once, others wait for the slowest output), but a checkpoint is
// committed only when every batch emitted before it has finished too, so a stored checkpoint
// never passes data still in flight.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <vector>

namespace mafio {

using CheckpointMap = std::map<uint32_t, std::vector<uint8_t>>; // stream -> checkpoint bytes

class AckTracker {
public:
    // The checkpoints stored by an earlier run, so a stream nobody touches keeps its position.
    explicit AckTracker(CheckpointMap initial = {}) : committed_(std::move(initial)) {}

    // Sets the checkpoints stored by an earlier run, before the first begin(). Main thread.
    void seed(CheckpointMap initial) {
        std::lock_guard lock(mutex_);
        committed_ = std::move(initial);
    }

    // A batch was emitted; returns its sequence number. Input thread.
    uint64_t begin();

    // Batch `seq` finished. With `has_checkpoint`, its checkpoint for `stream` is committed
    // once all earlier batches finished; an empty checkpoint forgets the stream. Any thread.
    void finish(uint64_t seq, bool has_checkpoint, uint32_t stream,
                std::vector<uint8_t> checkpoint);

    // The committed checkpoints if they changed since the last call.
    bool take_if_changed(CheckpointMap &out);
    CheckpointMap committed() const;

    // Batches emitted but not yet finished (the "checkpoint lag").
    uint64_t unfinished() const;

    // Blocks until every emitted batch finished, or `deadline`. True when drained. Any thread.
    bool wait_drained(std::chrono::steady_clock::time_point deadline) const;

    // A store of what take_if_changed returned failed: offer it again next time.
    void mark_changed();

private:
    struct Slot {
        bool finished = false;
        bool has_checkpoint = false;
        uint32_t stream = 0;
        std::vector<uint8_t> checkpoint;
    };
    mutable std::mutex mutex_;
    mutable std::condition_variable drained_;
    uint64_t next_seq_ = 0;
    uint64_t front_seq_ = 0; // sequence number of window_.front()
    std::deque<Slot> window_;
    CheckpointMap committed_;
    bool changed_ = false;
};

} // namespace mafio
