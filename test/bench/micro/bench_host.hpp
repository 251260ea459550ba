// A mafio_host table for microbenchmarks: the host's real batch functions (pipeline/batch.cpp,
// pooled as in the agent) and an emit that hands each batch to a callback and frees it, so a
// benchmark measures plugin-side code without threads, queues or a loaded pipeline.
#pragma once

#include "pipeline/batch.hpp"

#include <mafio/plugin.h>

#include <functional>

namespace mafio_bench {

struct BenchHost {
    // Sees every emitted batch before it is freed.
    std::function<void(const mafio_batch &)> on_emit = [](const mafio_batch &) {};
    uint64_t emitted = 0;
};

// The context is the BenchHost itself.
inline BenchHost &bench(mafio_host_ctx *ctx) {
    return *reinterpret_cast<BenchHost *>(ctx);
}

inline const mafio_host *bench_host_table() {
    static const mafio_host table = [] {
        mafio_host h{};
        h.struct_size = sizeof h;
        h.abi_major = MAFIO_ABI_MAJOR;
        h.abi_minor = MAFIO_ABI_MINOR;
        h.log = [](mafio_host_ctx *, mafio_log_level, const char *) {};
        h.set_error = [](mafio_host_ctx *, const char *) {};
        h.metric_register = [](mafio_host_ctx *, const char *, const char *, uint32_t) {
            return mafio_metric_id{0};
        };
        h.counter_add = [](mafio_host_ctx *, mafio_metric_id, uint64_t) {};
        h.gauge_set = [](mafio_host_ctx *, mafio_metric_id, int64_t) {};
        h.batch_new = [](mafio_host_ctx *, uint64_t bytes, uint32_t records) {
            return &mafio::batch_new(bytes, records)->view;
        };
        h.batch_reserve = [](mafio_host_ctx *, mafio_batch *b, uint64_t bytes, uint32_t records) {
            mafio::batch_reserve(mafio::Batch::from(b), bytes, records);
        };
        h.batch_set_checkpoint = [](mafio_host_ctx *, mafio_batch *, const uint8_t *, uint32_t) {};
        h.batch_free = [](mafio_host_ctx *, mafio_batch *b) {
            mafio::batch_free(mafio::Batch::from(b));
        };
        h.emit = [](mafio_host_ctx *ctx, mafio_batch *b) {
            BenchHost &host = bench(ctx);
            host.on_emit(*b);
            ++host.emitted;
            mafio::batch_free(mafio::Batch::from(b));
            return mafio_status{MAFIO_OK};
        };
        h.stopping = [](mafio_host_ctx *) { return 0; };
        h.get_extension = [](mafio_host_ctx *, const char *) -> const void * { return nullptr; };
        return h;
    }();
    return &table;
}

inline mafio_host_ctx *bench_ctx(BenchHost &host) {
    return reinterpret_cast<mafio_host_ctx *>(&host);
}

} // namespace mafio_bench
