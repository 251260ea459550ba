/*
 * mafio plugin ABI: the services the host offers a plugin instance (the mafio_host table).
 *
 * Rules for every service:
 *   - The first argument is the ctx the instance received in mafio_create_args; it tells the
 *     host which instance is calling.
 *   - Services never throw (in C++ terms they are noexcept) and never fail for lack of memory:
 *     the agent aborts instead (mafio/abi/conventions.h, "Errors and exceptions").
 *   - Each says from which thread it may be called: [main], [instance] or [any], as defined in
 *     mafio/abi/conventions.h.
 *   - Only emit() blocks (backpressure); the others return promptly.
 */
#ifndef MAFIO_ABI_HOST_H
#define MAFIO_ABI_HOST_H

#include "batch.h"
#include "conventions.h"
#include "log.h"
#include "metric.h"
#include "status.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Opaque to plugins: identifies the calling instance to the host. Host-owned. */
typedef struct mafio_host_ctx mafio_host_ctx;

/*
 * Passed to create() in mafio_create_args. Host-owned: the table and every function in it stay
 * valid until destroy() returns. Read it only up to its `struct_size`: a service is present when
 * MAFIO_STRUCT_HAS(mafio_host, host, service) (every service below was there in 1.0).
 */
typedef struct mafio_host {
    uint32_t struct_size; /* sizeof(mafio_host) as the host was built */
    uint32_t abi_major;   /* the host's MAFIO_ABI_MAJOR */
    uint32_t abi_minor;   /* the host's MAFIO_ABI_MINOR */
    uint32_t reserved0;

    /* Write one line to the agent's log, prefixed with the component. `msg` (read during the call;
     * NULL is taken as "") needs no newline. Cheap when the level is filtered out, but still not
     * for per-record use. [any] */
    void (*log)(mafio_host_ctx *ctx, mafio_log_level level, const char *msg);

    /* Describe the failure the current callback is about to return. The host copies `msg`; a
     * later call replaces it. [main] or [instance]: from inside the failing callback. */
    void (*set_error)(mafio_host_ctx *ctx, const char *msg);

    /* Register a metric once and update it by id afterwards (mafio/abi/metric.h). `name` is a
     * short snake_case name such as "dropped_empty", `help` one line; both are copied. `kind` is
     * MAFIO_METRIC_COUNTER or MAFIO_METRIC_GAUGE. Returns the id; registering the same name again
     * returns the same id. Returns MAFIO_METRIC_INVALID once the instance has MAFIO_METRIC_LIMIT
     * metrics. [main], from create() or start(). */
    mafio_metric_id (*metric_register)(mafio_host_ctx *ctx, const char *name, const char *help,
                                       uint32_t kind);
    /* Add to a counter / set a gauge. Lock-free; meant for once per batch, not per record. An id
     * metric_register did not return (MAFIO_METRIC_INVALID included) is ignored. [any] */
    void (*counter_add)(mafio_host_ctx *ctx, mafio_metric_id id, uint64_t delta);
    void (*gauge_set)(mafio_host_ctx *ctx, mafio_metric_id id, int64_t value);

    /* A new empty batch with room for at least `bytes` arena bytes and `records` records, owned
     * by the caller until it emits or frees it (mafio/abi/batch.h). Never NULL. [instance], from
     * an input's poll(). */
    mafio_batch *(*batch_new)(mafio_host_ctx *ctx, uint64_t bytes, uint32_t records);
    /* Make room for `bytes` more arena bytes and `records` more records beyond the current
     * arena_size / count. May move arena and records. [instance], by the batch's owner only. */
    void (*batch_reserve)(mafio_host_ctx *ctx, mafio_batch *batch, uint64_t bytes,
                          uint32_t records);
    /* Attach a checkpoint for the batch's `stream` (`len` bytes at `data`, copied; replaces an
     * earlier one; len 0 forgets the stream). Set `stream` first. mafio/abi/checkpoint.h says
     * when it takes effect. [instance], by the input that owns the batch. */
    void (*batch_set_checkpoint)(mafio_host_ctx *ctx, mafio_batch *batch, const uint8_t *data,
                                 uint32_t len);
    /* Give back a batch that will not be emitted. [instance], by the batch's owner only. */
    void (*batch_free)(mafio_host_ctx *ctx, mafio_batch *batch);
    /* Hand a batch to the pipeline. Always takes ownership, even on error. Blocks while the queue
     * the batch goes to is full (backpressure). Returns MAFIO_OK; MAFIO_ERR_STOPPED when the
     * agent is stopping (the batch is still delivered); MAFIO_ERR_INVALID for a NULL batch or a
     * caller that is not an input. [instance], from an input's poll(). */
    mafio_status (*emit)(mafio_host_ctx *ctx, mafio_batch *batch);

    /* Non-zero once the agent has been asked to stop, or this component alone is being stopped
     * (removed or swapped by a reload). A long-running input callback should check it at least
     * every 100 ms and return. [any] */
    int (*stopping)(mafio_host_ctx *ctx);

    /* Look up an optional host extension by its string id (MAFIO_EXT_TIMER, MAFIO_EXT_FD in
     * mafio/ext/); NULL when this host does not offer it. The table returned is host-owned and
     * valid for as long as the host table (at least until destroy() returns). [any] */
    const void *(*get_extension)(mafio_host_ctx *ctx, const char *name);
} mafio_host;

#ifdef __cplusplus
}
#endif

#endif /* MAFIO_ABI_HOST_H */
