/*
 * mafio host extension "mafio.hold.v1": a filter keeps records past process() and releases
 * them in a later batch, without losing or repeating them across a crash or a clean stop.
 * multiline:V1 uses it to hold the last lines of a batch until it knows whether the next
 * batch continues them. Look it up with
 *     const mafio_hold_ext *h = host->get_extension(ctx, MAFIO_EXT_HOLD);
 * Offered to filters only; NULL from a host that does not offer it (hosts before mafio 0.4),
 * and then the filter must not keep records past process(). The table is host-owned
 * (mafio_host.get_extension says how long it lives).
 *
 * The contract, per input and stream (a batch's records all belong to one; mafio/abi/batch.h):
 *   - Holding: in process(), the filter copies the records it keeps out of the batch (the batch
 *     is not its own after process() returns), removes them from it, and calls hold(batch).
 *     The host then acknowledges nothing of that batch (commits no checkpoint at or after it)
 *     until the filter has released what it held.
 *   - Releasing: in a later process() of the same input and stream, the filter puts every record
 *     it held into that batch (or drops some deliberately, counting them) and calls
 *     release(batch). The held batches are acknowledged once that batch is delivered. A batch
 *     may both release what was held and hold its own last records (call release, then hold).
 *   - Being called without data: process_at(batch, t) asks for a process() call for this
 *     batch's input and stream at monotonic time t (CLOCK_MONOTONIC ns) even if no data comes,
 *     so that what is held can be released after a while. The host then calls process() with an
 *     empty batch (count 0) of that input and stream; one pending time per input and stream, a
 *     later call replaces it. Such a call comes on the input's thread, like any other.
 *   - The end: when an input ends (end of data, the agent stopping, the input being removed),
 *     and when this filter is being swapped, removed or stopped, the host calls process() with
 *     an empty batch for every stream the filter holds records of, and ending(batch) returns 1:
 *     the filter must release everything it holds for that stream in it.
 * Records held are in memory only: the filter bounds them (multiline's max_lines, max_bytes).
 * [instance]: every function is called from inside process(), with the batch process() got.
 */
#ifndef MAFIO_EXT_HOLD_H
#define MAFIO_EXT_HOLD_H

#include "../abi/batch.h"
#include "../abi/host.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MAFIO_EXT_HOLD "mafio.hold.v1"

typedef struct mafio_hold_ext {
    uint32_t struct_size; /* sizeof(mafio_hold_ext) as the host was built */
    uint32_t reserved0;
    /* This filter keeps (copies of) records of `batch` past this process() call. */
    void (*hold)(mafio_host_ctx *ctx, mafio_batch *batch);
    /* Every record this filter held for `batch`'s input and stream is in `batch` now. */
    void (*release)(mafio_host_ctx *ctx, mafio_batch *batch);
    /* Call process() with an empty batch of `batch`'s input and stream at `monotonic_ns`. */
    void (*process_at)(mafio_host_ctx *ctx, const mafio_batch *batch, int64_t monotonic_ns);
    /* 1 when `batch` is the last of its input and stream for this filter: release everything. */
    int (*ending)(mafio_host_ctx *ctx, const mafio_batch *batch);
    /* Which input `batch` comes from: a number unique among the agent's inputs, so that a filter
     * several inputs route through keeps its state per (input, stream), never mixing two
     * inputs' streams that have the same number. */
    uint32_t (*input_of)(mafio_host_ctx *ctx, const mafio_batch *batch);
} mafio_hold_ext;

#ifdef __cplusplus
}
#endif

#endif /* MAFIO_EXT_HOLD_H */
