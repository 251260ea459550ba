// A batch some filter kept records of (mafio.hold.v1, plugin-sdk/include/mafio/ext/hold.h).
// Its acknowledgement waits for two kinds of event: its own delivery (the last output let go
// of it) and, for each filter that held records of it, the delivery of the later batch that
// carried those records out. The last of them finishes it in its input's AckTracker, whose
// in-order commit then keeps every later checkpoint behind it: a crash re-reads held records
// instead of losing them.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

namespace mafio {

struct HeldBatch {
    std::atomic<int> waiting{1}; // its own delivery, plus one per filter holding records of it
    // What AckTracker::finish needs, stored when its own delivery completes (before that
    // delivery's decrement of `waiting`, which publishes it to whoever finishes it).
    uint32_t input = 0;
    uint64_t seq = 0;
    bool has_checkpoint = false;
    uint32_t stream = 0;
    std::vector<uint8_t> checkpoint;
};

} // namespace mafio
