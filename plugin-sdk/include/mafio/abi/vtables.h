/*
 * mafio plugin ABI: the vtable of each kind, holding the lifecycle and the kind's data callback.
 * mafio_plugin_desc.vtable points to the one of the plugin's kind. Vtables never grow in ABI 1.x
 * (a host could not tell a longer one from a shorter one); new optional callbacks come as
 * extensions (mafio_plugin_desc.get_extension). Data callbacks are [instance]
 * (mafio/abi/conventions.h).
 */
#ifndef MAFIO_ABI_VTABLES_H
#define MAFIO_ABI_VTABLES_H

#include "batch.h"
#include "lifecycle.h"
#include "status.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Input: poll() reads what is available, emits zero or more batches with host->emit(), and
 * returns
 *   MAFIO_OK     call again now (there may be more);
 *   MAFIO_RETRY  nothing right now: see below for when the host polls again;
 *   MAFIO_EOF    finished for good: the host delivers what was emitted and stops this input;
 *                after host->set_error(), it finished but what it did failed (exec:V1: its
 *                command failed): a scheduled input's run then counts as failed, with that
 *                message as its result; without a schedule the message is discarded (log it);
 *   MAFIO_ERR_*  failed for good: the host logs the error and stops this input.
 * poll() must return within about 100 ms when no data arrives, so that the agent (or this
 * component) can stop, pause or be swapped promptly. Required. [instance]
 *
 * After MAFIO_RETRY the host polls a plain input again after a short pause (at most 50 ms). An
 * input that has used the scheduling extensions (mafio/ext/timer.h, mafio/ext/fd.h) once is
 * "scheduled" from then on: after MAFIO_RETRY the host polls it again only when a descriptor it
 * watches is readable, when its wake-up time has come, or when the component is being stopped,
 * paused or resumed (poll() must then return promptly, as always), so that it costs no CPU
 * while it waits.
 */
typedef struct mafio_input_vtable {
    mafio_lifecycle life;
    mafio_status (*poll)(void *instance);
} mafio_input_vtable;

/*
 * Filter: process() transforms, in place, a batch whose tag the filter's `match` selects. It may
 *   - drop records by compacting `records` and lowering `count`,
 *   - change a record's bytes in place, or point it at new bytes appended with batch_reserve,
 *   - add records (batch_reserve, then append).
 * It must not free the batch or change its `stream`. Records of a stream keep their relative
 * order. The batch is the filter's until process() returns (mafio/abi/batch.h).
 * MAFIO_OK passes the (possibly changed) batch on; a failure is counted and logged and the batch
 * is passed on as it is (no silent loss, no stuck pipeline). Required. [instance]
 */
typedef struct mafio_filter_vtable {
    mafio_lifecycle life;
    mafio_status (*process)(void *instance, mafio_batch *batch);
} mafio_filter_vtable;

/*
 * Output: write() delivers `count` records starting at index `first` of a read-only batch (never
 * more than the agent's -max-write-bulk-size). The batch is shared with the other outputs it is
 * routed to and valid until write() returns. `done` is host-owned. It returns
 *   MAFIO_OK         all `count` records are done (*done is ignored);
 *   MAFIO_RETRY      only *done records (0..count) are done; the host retries the rest later,
 *                    with exponential backoff;
 *   MAFIO_ERR_CLOSED the destination closed in the normal course of things (mafio/abi/status.h);
 *   MAFIO_ERR_*      the records not reported done are failed for good; the host counts and
 *                    logs them and moves on.
 * Required. [instance]
 */
typedef struct mafio_output_vtable {
    mafio_lifecycle life;
    mafio_status (*write)(void *instance, const mafio_batch *batch, uint32_t first, uint32_t count,
                          uint32_t *done);
} mafio_output_vtable;

#ifdef __cplusplus
}
#endif

#endif /* MAFIO_ABI_VTABLES_H */
