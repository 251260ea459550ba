#include "pipeline/batch.hpp"

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <new>
#include <vector>

namespace mafio {

namespace {

void *grow(void *p, size_t bytes, size_t used) {
    // Nothing in use: a fresh block instead of realloc, which would copy the old contents.
    if (used == 0) {
        std::free(p);
        p = nullptr;
    }
    void *q = std::realloc(p, bytes == 0 ? 1 : bytes);
    if (!q) throw std::bad_alloc();
    return q;
}

// Freed batches are kept for reuse. An input's batch has a ~256 KiB arena: from malloc that
// is an mmap (or heap that gets trimmed) whose pages fault in again for every batch, which
// cost ~10% of the CPU of a passthrough run, and made the peak RSS drift with the run's length
// as the heap fragmented. The pool covers the batches in flight in the steady state; big arenas
// are not kept, so it holds what was resident anyway, a few MiB at most.
class BatchPool {
public:
    BatchPool() { free_.reserve(kMaxBatches); } // so give() never allocates
    Batch *take() {
        std::lock_guard lock(mutex_); // once per batch, uncontended in practice
        if (free_.empty()) return nullptr;
        Batch *b = free_.back();
        free_.pop_back();
        return b;
    }
    // False when the batch is not worth keeping (the caller frees it).
    bool give(Batch *b) {
        if (b->view.arena_capacity > kMaxArenaBytes || b->view.records_capacity > kMaxRecords)
            return false;
        std::lock_guard lock(mutex_);
        if (free_.size() >= kMaxBatches) return false;
        free_.push_back(b);
        return true;
    }

private:
    // More than the batches in flight with default channels (a pipe read of 64 KiB makes
    // batches of a few hundred lines, so a 4096-record channel holds ~13), so that the steady
    // state allocates nothing. Pooled batches were all in flight at once before, so the pool
    // never raises the peak RSS, it only keeps it.
    static constexpr size_t kMaxBatches = 64;
    static constexpr uint64_t kMaxArenaBytes = 512 * 1024;
    static constexpr uint32_t kMaxRecords = 16384;
    std::mutex mutex_;
    std::vector<Batch *> free_;
};

BatchPool &pool() {
    // Never destroyed: a thread left running after an expired grace period may still free
    // batches while the process exits.
    static BatchPool *p = new BatchPool;
    return *p;
}

void release(Batch *b) noexcept {
    std::free(b->view.arena);
    std::free(b->view.records);
    delete b;
}

} // namespace

Batch *batch_new(uint64_t bytes, uint32_t records) {
    Batch *b = pool().take();
    if (b) {
        // Back to a fresh batch, keeping only the arena and records allocations.
        mafio_batch &v = b->view;
        v.count = 0;
        v.arena_size = 0;
        v.stream = 0;
        b->checkpoint.clear();
        b->has_checkpoint = false;
        b->input = 0;
        b->seq = 0;
        b->tag = nullptr;
        b->held.reset();
        b->carries.clear();
        b->ending = false;
    } else {
        b = new Batch;
        b->view.struct_size = sizeof(mafio_batch);
    }
    batch_reserve(b, bytes, records);
    return b;
}

void batch_reserve(Batch *b, uint64_t bytes, uint32_t records) {
    mafio_batch &v = b->view;
    if (v.arena_size + bytes > v.arena_capacity) {
        // An empty arena gets exactly what is asked (in whole pages): doubling from 4 KiB
        // would turn an input's 256 KiB + a carried line into 512 KiB. A growing one doubles.
        uint64_t cap = v.arena_size == 0 ? (bytes + 4095) / 4096 * 4096
                                         : std::max<uint64_t>(v.arena_capacity, 4096);
        while (cap < v.arena_size + bytes)
            cap *= 2;
        v.arena = static_cast<uint8_t *>(grow(v.arena, cap, v.arena_size));
        v.arena_capacity = cap;
    }
    if (uint64_t{v.count} + records > v.records_capacity) {
        uint64_t cap = v.records_capacity ? v.records_capacity : 64;
        while (cap < uint64_t{v.count} + records)
            cap *= 2;
        if (cap > UINT32_MAX) throw std::bad_alloc();
        v.records = static_cast<mafio_record *>(
            grow(v.records, cap * sizeof(mafio_record), v.count * sizeof(mafio_record)));
        v.records_capacity = static_cast<uint32_t>(cap);
    }
}

void batch_free(Batch *b) noexcept {
    if (!b) return;
    b->held.reset(); // what it pins goes now, not when the pooled batch is reused
    b->carries.clear();
    if (!pool().give(b)) release(b);
}

} // namespace mafio
