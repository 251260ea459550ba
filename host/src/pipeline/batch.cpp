#include "pipeline/batch.hpp"

#include <cstdlib>
#include <new>

namespace mafio {

namespace {
void *grow(void *p, size_t bytes) {
    void *q = std::realloc(p, bytes == 0 ? 1 : bytes);
    if (!q) throw std::bad_alloc();
    return q;
}
} // namespace

Batch *batch_new(uint64_t bytes, uint32_t records) {
    auto *b = new Batch;
    b->view.struct_size = sizeof(mafio_batch);
    batch_reserve(b, bytes, records);
    return b;
}

void batch_reserve(Batch *b, uint64_t bytes, uint32_t records) {
    mafio_batch &v = b->view;
    if (v.arena_size + bytes > v.arena_capacity) {
        uint64_t cap = v.arena_capacity ? v.arena_capacity : 4096;
        while (cap < v.arena_size + bytes) cap *= 2;
        v.arena = static_cast<uint8_t *>(grow(v.arena, cap));
        v.arena_capacity = cap;
    }
    if (uint64_t{v.count} + records > v.records_capacity) {
        uint64_t cap = v.records_capacity ? v.records_capacity : 64;
        while (cap < uint64_t{v.count} + records) cap *= 2;
        if (cap > UINT32_MAX) throw std::bad_alloc();
        v.records = static_cast<mafio_record *>(grow(v.records, cap * sizeof(mafio_record)));
        v.records_capacity = static_cast<uint32_t>(cap);
    }
}

void batch_free(Batch *b) noexcept {
    if (!b) return;
    std::free(b->view.arena);
    std::free(b->view.records);
    delete b;
}

} // namespace mafio
