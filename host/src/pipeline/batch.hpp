// The host side of a batch: the C view plugins see (mafio_batch) plus what the host tracks.
// Arena and records are malloc'd so they can grow with realloc; records refer to the arena by
// offset, so growing never invalidates them.
#pragma once

#include "pipeline/held_batch.hpp"

#include <mafio/plugin.h>

#include <cstdint>
#include <memory>
#include <vector>

namespace mafio {

struct Batch {
    mafio_batch view{}; // first member: a mafio_batch* from a plugin is a Batch*
    std::vector<uint8_t> checkpoint;
    bool has_checkpoint = false; // set_checkpoint was called (an empty one forgets the stream)
    uint32_t input = 0;          // index of the input that emitted it
    uint64_t seq = 0;            // emit order within that input (see AckTracker)
    // The tag the batch carries (interned_tag.hpp): set by emit, null before.
    const std::string *tag = nullptr;
    // mafio.hold.v1 (held_batch.hpp): set when filters keep records of this batch; the earlier
    // held batches whose records this one carries out; and whether this is the empty batch
    // asking filters to release everything they hold (ext/hold.h, "The end").
    std::shared_ptr<HeldBatch> held;
    std::vector<std::shared_ptr<HeldBatch>> carries;
    bool ending = false;

    static Batch *from(mafio_batch *b) { return reinterpret_cast<Batch *>(b); }
    static const Batch *from(const mafio_batch *b) { return reinterpret_cast<const Batch *>(b); }
};

// Allocates a batch with room for at least `bytes` and `records`. Never returns null.
Batch *batch_new(uint64_t bytes, uint32_t records);
// Ensures room for `bytes` more arena bytes and `records` more records.
void batch_reserve(Batch *b, uint64_t bytes, uint32_t records);
void batch_free(Batch *b) noexcept;

struct BatchDeleter {
    void operator()(Batch *b) const noexcept { batch_free(b); }
};
using BatchPtr = std::unique_ptr<Batch, BatchDeleter>;
// After the filter chain a batch is immutable and shared by every output.
using SharedBatch = std::shared_ptr<const Batch>;

} // namespace mafio
