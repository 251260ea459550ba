// The mafio_host table: the C functions plugins call, forwarding to their Instance. All are
// noexcept: nothing may unwind into a plugin. Out of memory inside one (a std::bad_alloc)
// therefore ends the agent with std::terminate, as plugin.h documents.
#include "pipeline/instance.hpp"

#include "util/log.hpp"

#include <cstring>

namespace mafio {

namespace {

Instance &inst(mafio_host_ctx *ctx) {
    return *ctx->instance;
}

void h_log(mafio_host_ctx *ctx, mafio_log_level level, const char *msg) noexcept {
    auto l = static_cast<log::Level>(
        level < MAFIO_LOG_DEBUG || level > MAFIO_LOG_ERROR ? MAFIO_LOG_ERROR : level);
    if (!log::enabled(l)) return;
    log::write(l, inst(ctx).label(), msg ? msg : "");
}

void h_set_error(mafio_host_ctx *ctx, const char *msg) noexcept {
    inst(ctx).set_error(msg);
}

mafio_metric_id h_metric_register(mafio_host_ctx *ctx, const char *name, const char *help,
                                  uint32_t kind) noexcept {
    return inst(ctx).metrics.register_metric(name ? name : "unnamed", help ? help : "",
                                             kind == 1 ? MetricSet::Kind::gauge
                                                       : MetricSet::Kind::counter);
}

void h_counter_add(mafio_host_ctx *ctx, mafio_metric_id id, uint64_t delta) noexcept {
    inst(ctx).metrics.add(id, delta);
}

void h_gauge_set(mafio_host_ctx *ctx, mafio_metric_id id, int64_t value) noexcept {
    inst(ctx).metrics.set(id, value);
}

mafio_batch *h_batch_new(mafio_host_ctx *ctx, uint64_t bytes, uint32_t records) {
    Batch *b = batch_new(bytes, records);
    b->input = inst(ctx).index();
    return &b->view;
}

void h_batch_reserve(mafio_host_ctx *, mafio_batch *b, uint64_t bytes, uint32_t records) noexcept {
    batch_reserve(Batch::from(b), bytes, records);
}

void h_batch_set_checkpoint(mafio_host_ctx *, mafio_batch *b, const uint8_t *data,
                            uint32_t len) noexcept {
    Batch *batch = Batch::from(b);
    batch->checkpoint.assign(data, data + len);
    batch->has_checkpoint = true;
}

void h_batch_free(mafio_host_ctx *, mafio_batch *b) noexcept {
    batch_free(Batch::from(b));
}

mafio_status h_emit(mafio_host_ctx *ctx, mafio_batch *b) noexcept {
    if (!b) return MAFIO_ERR_INVALID;
    Instance &in = inst(ctx);
    BatchPtr batch(Batch::from(b));
    if (!in.sink()) return MAFIO_ERR_INVALID;
    return in.sink()->emit(in, std::move(batch));
}

int h_stopping(mafio_host_ctx *ctx) noexcept {
    return inst(ctx).sink() && inst(ctx).sink()->instance_stopping(inst(ctx)) ? 1 : 0;
}

void h_wake_at(mafio_host_ctx *ctx, int64_t monotonic_ns) noexcept {
    inst(ctx).wakeup.wake_at(monotonic_ns);
}
mafio_status h_watch(mafio_host_ctx *ctx, int fd) noexcept {
    return inst(ctx).wakeup.watch(fd);
}
void h_unwatch(mafio_host_ctx *ctx, int fd) noexcept {
    inst(ctx).wakeup.unwatch(fd);
}

const char *h_batch_tag(mafio_host_ctx *ctx, const mafio_batch *b, size_t *len) noexcept {
    static const std::string none;
    const std::string *tag = b ? Batch::from(b)->tag : nullptr;
    if (!tag && inst(ctx).kind() == MAFIO_KIND_INPUT && inst(ctx).sink())
        tag = inst(ctx).sink()->current_tag(inst(ctx)); // its own batch, not emitted yet
    if (!tag) tag = &none;
    if (len) *len = tag->size();
    return tag->data();
}

const mafio_timer_ext timer_ext = {sizeof(mafio_timer_ext), 0, h_wake_at};
const mafio_fd_ext fd_ext = {sizeof(mafio_fd_ext), 0, h_watch, h_unwatch};

// mafio.hold.v1: a filter's calls from inside process(); the batch is a host Batch.
void h_hold(mafio_host_ctx *ctx, mafio_batch *b) noexcept {
    if (b && inst(ctx).sink()) inst(ctx).sink()->hold(inst(ctx), *Batch::from(b));
}
void h_release(mafio_host_ctx *ctx, mafio_batch *b) noexcept {
    if (b && inst(ctx).sink()) inst(ctx).sink()->release(inst(ctx), *Batch::from(b));
}
void h_process_at(mafio_host_ctx *ctx, const mafio_batch *b, int64_t monotonic_ns) noexcept {
    if (b && inst(ctx).sink())
        inst(ctx).sink()->process_at(inst(ctx), *Batch::from(b), monotonic_ns);
}
int h_ending(mafio_host_ctx *, const mafio_batch *b) noexcept {
    return b && Batch::from(b)->ending ? 1 : 0;
}
uint32_t h_input_of(mafio_host_ctx *, const mafio_batch *b) noexcept {
    return b ? Batch::from(b)->input : 0;
}
const mafio_hold_ext hold_ext = {sizeof(mafio_hold_ext), 0,        h_hold,    h_release,
                                 h_process_at,           h_ending, h_input_of};

// mafio.retag.v1: a filter's call from inside process().
void h_retag(mafio_host_ctx *ctx, const mafio_batch *b, uint32_t index, const char *tag,
             size_t tag_len) noexcept {
    if (b && inst(ctx).sink())
        inst(ctx).sink()->retag(inst(ctx), *Batch::from(b), index,
                                std::string_view(tag ? tag : "", tag ? tag_len : 0));
}
const mafio_retag_ext retag_ext = {sizeof(mafio_retag_ext), 0, h_retag};

const mafio_batch_tag_ext batch_tag_ext = {sizeof(mafio_batch_tag_ext), 0, h_batch_tag};

// Scheduling is for inputs: other kinds are never polled, so they are not offered it.
const void *h_get_extension(mafio_host_ctx *ctx, const char *name) noexcept {
    if (!name) return nullptr;
    if (std::strcmp(name, MAFIO_EXT_BATCH_TAG) == 0) return &batch_tag_ext;
    if (inst(ctx).kind() == MAFIO_KIND_FILTER && std::strcmp(name, MAFIO_EXT_HOLD) == 0)
        return &hold_ext;
    if (inst(ctx).kind() == MAFIO_KIND_FILTER && std::strcmp(name, MAFIO_EXT_RETAG) == 0)
        return &retag_ext;
    if (inst(ctx).kind() != MAFIO_KIND_INPUT) return nullptr;
    if (std::strcmp(name, MAFIO_EXT_TIMER) == 0) return &timer_ext;
    if (std::strcmp(name, MAFIO_EXT_FD) == 0) return &fd_ext;
    return nullptr;
}

const mafio_host table = {
    sizeof(mafio_host), MAFIO_ABI_MAJOR,        MAFIO_ABI_MINOR, 0,           h_log,
    h_set_error,        h_metric_register,      h_counter_add,   h_gauge_set, h_batch_new,
    h_batch_reserve,    h_batch_set_checkpoint, h_batch_free,    h_emit,      h_stopping,
    h_get_extension,
};

} // namespace

const mafio_host *host_services() {
    return &table;
}

} // namespace mafio
