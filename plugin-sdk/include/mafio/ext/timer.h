/*
 * mafio host extension "mafio.timer.v1" (ABI 1.2): an input asks to be polled at a monotonic
 * time instead of after a fixed short pause. Look it up with
 *     const mafio_timer_ext *t = host->get_extension(ctx, MAFIO_EXT_TIMER);
 * NULL from a host that does not offer it (any 1.0 or 1.1 host): then the input is polled again
 * after a short pause as before, and should not rely on the timer for correctness. Using it once
 * makes the input "scheduled" (mafio_input_vtable.poll in mafio/abi/vtables.h says what that
 * changes). The table is host-owned (mafio_host.get_extension says how long it lives).
 */
#ifndef MAFIO_EXT_TIMER_H
#define MAFIO_EXT_TIMER_H

#include "../abi/host.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MAFIO_EXT_TIMER "mafio.timer.v1"

typedef struct mafio_timer_ext {
    uint32_t struct_size; /* sizeof(mafio_timer_ext) as the host was built */
    uint32_t reserved0;
    /* Poll this input again no later than `monotonic_ns` (CLOCK_MONOTONIC, ns). One pending time
     * per instance: a later call replaces it; it is cleared when it fires. A time already past
     * means "soon". [instance] from poll(), or [main] from start(). */
    void (*wake_at)(mafio_host_ctx *ctx, int64_t monotonic_ns);
} mafio_timer_ext;

#ifdef __cplusplus
}
#endif

#endif /* MAFIO_EXT_TIMER_H */
