// The mafio_host table: the C functions plugins call, forwarding to their Instance.
#include "pipeline/instance.hpp"

#include "util/log.hpp"

#include <cstring>

namespace mafio {

namespace {

Instance &inst(mafio_host_ctx *ctx) { return *ctx->instance; }

void h_log(mafio_host_ctx *ctx, mafio_log_level level, const char *msg) {
    auto l = static_cast<log::Level>(level < MAFIO_LOG_DEBUG || level > MAFIO_LOG_ERROR
                                         ? MAFIO_LOG_ERROR
                                         : level);
    if (!log::enabled(l)) return;
    log::write(l, inst(ctx).label(), msg ? msg : "");
}

void h_set_error(mafio_host_ctx *ctx, const char *msg) { inst(ctx).set_error(msg); }

mafio_metric_id h_metric_register(mafio_host_ctx *ctx, const char *name, const char *help,
                                  uint32_t kind) {
    return inst(ctx).metrics.register_metric(name ? name : "unnamed", help ? help : "",
                                             kind == 1 ? MetricSet::Kind::gauge
                                                       : MetricSet::Kind::counter);
}

void h_counter_add(mafio_host_ctx *ctx, mafio_metric_id id, uint64_t delta) {
    inst(ctx).metrics.add(id, delta);
}

void h_gauge_set(mafio_host_ctx *ctx, mafio_metric_id id, int64_t value) {
    inst(ctx).metrics.set(id, value);
}

mafio_batch *h_batch_new(mafio_host_ctx *ctx, uint64_t bytes, uint32_t records) {
    Batch *b = batch_new(bytes, records);
    b->input = inst(ctx).index();
    return &b->view;
}

void h_batch_reserve(mafio_host_ctx *, mafio_batch *b, uint64_t bytes, uint32_t records) {
    batch_reserve(Batch::from(b), bytes, records);
}

void h_batch_set_checkpoint(mafio_host_ctx *, mafio_batch *b, const uint8_t *data,
                            uint32_t len) {
    Batch *batch = Batch::from(b);
    batch->checkpoint.assign(data, data + len);
    batch->has_checkpoint = true;
}

void h_batch_free(mafio_host_ctx *, mafio_batch *b) { batch_free(Batch::from(b)); }

mafio_status h_emit(mafio_host_ctx *ctx, mafio_batch *b) {
    if (!b) return MAFIO_ERR_INVALID;
    Instance &in = inst(ctx);
    BatchPtr batch(Batch::from(b));
    if (!in.sink()) return MAFIO_ERR_INVALID;
    return in.sink()->emit(in, std::move(batch));
}

int h_stopping(mafio_host_ctx *ctx) {
    return inst(ctx).sink() && inst(ctx).sink()->stopping() ? 1 : 0;
}

const void *h_get_extension(mafio_host_ctx *, const char *) { return nullptr; }

const mafio_host table = {
    sizeof(mafio_host),  MAFIO_ABI_MAJOR,    MAFIO_ABI_MINOR,       0,
    h_log,               h_set_error,        h_metric_register,     h_counter_add,
    h_gauge_set,         h_batch_new,        h_batch_reserve,       h_batch_set_checkpoint,
    h_batch_free,        h_emit,             h_stopping,            h_get_extension,
};

} // namespace

const mafio_host *host_services() { return &table; }

} // namespace mafio
