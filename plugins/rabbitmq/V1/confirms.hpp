// Publisher confirms of one write: which of its messages the broker acknowledged, refused or
// returned. Messages are numbered 0..n-1 in publish order and carry delivery tags first_tag..;
// basic.ack/nack with `multiple` settle every message up to the tag. Pure (no I/O): the write
// feeds it what the channel reads and asks how many messages, from the first, are done.
#pragma once

#include <cstdint>
#include <vector>

namespace rabbitmq_v1 {

class Confirms {
public:
    enum State : uint8_t { pending, acked, refused };

    void begin(uint64_t first_tag) {
        first_tag_ = first_tag;
        state_.clear();
        returned_.clear();
        low_ = 0;
        unsettled_ = 0;
        nacked_ = 0;
    }
    // One more message was published (its tag is first_tag + index).
    void published() {
        state_.push_back(pending);
        returned_.push_back(false);
        ++unsettled_;
    }

    void ack(uint64_t tag, bool multiple) { settle(tag, multiple, acked); }
    void nack(uint64_t tag, bool multiple) { settle(tag, multiple, refused); }
    // basic.return of message `index` (it comes before that message's ack).
    void returned(uint32_t index) {
        if (index < returned_.size()) returned_[index] = true;
    }

    uint32_t size() const { return static_cast<uint32_t>(state_.size()); }
    uint32_t unsettled() const { return unsettled_; }
    uint32_t nacked() const { return nacked_; }
    bool all_settled() const { return unsettled_ == 0; }
    State state(uint32_t i) const { return static_cast<State>(state_[i]); }
    bool was_returned(uint32_t i) const { return returned_[i]; }

    // How many messages from the first are acked (and, when returns must be retried, were not
    // returned): what the write may report done.
    uint32_t done_prefix(bool returned_is_done) const {
        uint32_t i = 0;
        while (i < state_.size() && state_[i] == acked && (returned_is_done || !returned_[i]))
            ++i;
        return i;
    }
    bool in_range(uint64_t tag) const { return tag >= first_tag_ && tag - first_tag_ < size(); }

private:
    void settle(uint64_t tag, bool multiple, State to) {
        // Tags of an earlier write (late confirms of a write that gave up) are not ours.
        if (tag < first_tag_) return;
        const uint64_t last = tag - first_tag_;
        if (last >= state_.size()) return; // a broker bug; nothing of ours to settle
        if (!multiple) {
            mark(static_cast<size_t>(last), to);
        } else {
            for (size_t i = low_; i <= last; ++i)
                mark(i, to);
        }
        while (low_ < state_.size() && state_[low_] != pending)
            ++low_;
    }
    void mark(size_t i, State to) {
        if (state_[i] != pending) return;
        state_[i] = to;
        --unsettled_;
        if (to == refused) ++nacked_;
    }

    uint64_t first_tag_ = 1;
    std::vector<uint8_t> state_;
    std::vector<bool> returned_;
    size_t low_ = 0;
    uint32_t unsettled_ = 0, nacked_ = 0;
};

} // namespace rabbitmq_v1
