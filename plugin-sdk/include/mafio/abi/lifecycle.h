/*
 * mafio plugin ABI: an instance's lifecycle, the callbacks every kind has, and what create() and
 * start() receive.
 *
 * A plugin instance is one configured component (one entry of "inputs", "filters" or "outputs").
 * The host calls, in this order:
 *
 *     create -> start -> (poll | process | write)* -> flush -> stop -> destroy
 *     [main]    [main]    [instance]                 [instance] [main]  [main]
 *
 * destroy follows every successful create, even when start fails. Thread tags are defined in
 * mafio/abi/conventions.h.
 */
#ifndef MAFIO_ABI_LIFECYCLE_H
#define MAFIO_ABI_LIFECYCLE_H

#include "checkpoint.h"
#include "conventions.h"
#include "host.h"
#include "status.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * What create() receives. Host-owned; the struct itself is valid until create() returns, the
 * pointers in it as long as each member says. Read it only up to `struct_size`
 * (MAFIO_STRUCT_HAS): a member outside it is 0 / NULL.
 */
typedef struct mafio_create_args {
    uint32_t struct_size; /* sizeof(mafio_create_args) as the host was built */
    uint32_t reserved0;
    const mafio_host *host; /* the services; valid until destroy() returns */
    mafio_host_ctx *ctx;    /* pass back to every host service; valid until destroy() returns */
    /* The component's options: its JSON object from the configuration without the keys the host
     * itself interprets (such as "plugin"). Always a valid JSON object, "{}" when there are none.
     * Valid until create() returns. */
    const char *options_json;
    /* Where the component is configured (e.g. "inputs[0]"), to begin messages with. Valid until
     * destroy() returns. */
    const char *instance;
    /* This instance's own directory for state it keeps across runs:
     * "<agent data_dir>/components/<component_id>/", created by the host before create(), used by
     * nothing else. "" when the agent keeps no state (no data directory). Valid until destroy()
     * returns. Checkpoints do not go here: the host stores those (mafio/abi/checkpoint.h). */
    const char *data_dir;

    /* ---- ABI 1.1 (absent: 0) ---- */

    /* Inputs: the most records one emitted batch should hold, 0 for no preference. The host
     * derives it from its channel bounds (-max-read-channel-size / -max-write-channel-size),
     * which count records: a batch larger than a whole bound is still admitted, alone, so an
     * input that ignores the hint still works but makes the bound coarser than configured. */
    uint32_t max_batch_records;
    uint32_t reserved1;

    /* ---- ABI 1.2 (absent: NULL) ---- */

    /* The component's stable id from the configuration ([a-z0-9_-]+, e.g. "app_logs"). It keys
     * the instance's checkpoints, data_dir, metrics and log lines across restarts and reloads.
     * Valid until destroy() returns. */
    const char *component_id;
} mafio_create_args;

/* What start() receives. Host-owned, valid until start() returns. */
typedef struct mafio_start_args {
    uint32_t struct_size; /* sizeof(mafio_start_args) as the host was built */
    /* Inputs: the checkpoints stored for this component by an earlier run, at most one per
     * stream, only of formats the plugin reads (mafio/abi/checkpoint.h). 0 / NULL for none and
     * for filters and outputs. Valid until start() returns: copy what you keep. */
    uint32_t checkpoint_count;
    const mafio_checkpoint *checkpoints;
} mafio_start_args;

/*
 * The callbacks common to every kind, at the start of every vtable. Its size never changes in ABI
 * 1.x (it is embedded in the vtables); new optional callbacks come as extensions
 * (mafio_plugin_desc.get_extension).
 */
typedef struct mafio_lifecycle {
    /* Parse and validate the options; no I/O beyond what validation needs. On success store the
     * plugin-owned instance in *out_instance and return MAFIO_OK; the host passes it to every
     * other callback until destroy(). On failure set an error, leave NULL in *out_instance and
     * return MAFIO_ERR_INVALID (bad options) or another failure. Required. [main] */
    mafio_status (*create)(const mafio_create_args *args, void **out_instance);
    /* Open files, connect, register metrics; `args` carries the stored checkpoints. A failure
     * stops the agent's start (or the component's start) with the error set. May be NULL. [main] */
    mafio_status (*start)(void *instance, const mafio_start_args *args);
    /* Push out anything the instance holds back. Called when the component shuts down (the agent
     * stops, or the component is drained, removed or swapped), after its last data callback and
     * before stop(), for filters and outputs alike (inputs may receive it too); the host may also
     * call it when the instance is idle. A failure is counted and logged. May be NULL.
     * [instance] */
    mafio_status (*flush)(void *instance);
    /* Release what start() opened. No data callback follows. A failure is counted and logged.
     * May be NULL. [main] */
    mafio_status (*stop)(void *instance);
    /* Free the instance. Cannot fail. Required. [main] */
    void (*destroy)(void *instance);
} mafio_lifecycle;

#ifdef __cplusplus
}
#endif

#endif /* MAFIO_ABI_LIFECYCLE_H */
