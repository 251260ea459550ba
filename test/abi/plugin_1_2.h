/*
 * FROZEN: the plugin ABI 1.2 headers exactly as released (the headers under
 * plugin-sdk/include/mafio/abi and /ext that plugin.h includes), flattened into one file by
 * test/abi/freeze.sh.
 *
 * Never edit this file. It stands for every plugin already compiled against ABI 1.2:
 * test/unit/test_abi_layout.cpp checks that the current headers keep every member of it at the
 * same offset and size. When the ABI gains a minor, freeze the new one beside this file.
 */
#ifndef MAFIO_PLUGIN_1_2_H
#define MAFIO_PLUGIN_1_2_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ==== mafio/abi/conventions.h ==== */

/*
 * mafio plugin ABI: the conventions every header under mafio/abi/ and mafio/ext/ is written in.
 * Read this first; the other headers use its words without defining them again.
 *
 * Threads
 * -------
 * Every callback a plugin implements and every service the host offers carries one of three
 * tags, saying from which thread it is called or may be called:
 *
 *   [main]      The host's control thread. It calls the entry function and the lifecycle
 *               callbacks create, start, stop and destroy.
 *   [instance]  The thread the host calls one instance's data callbacks on: poll (inputs),
 *               process (filters), write (outputs) and flush. One call at a time per instance.
 *               It need not be the same OS thread from one call to the next (do not keep an
 *               instance's state in thread-local storage), but each call happens-before the
 *               next, so state that only the instance's callbacks touch needs no lock.
 *   [any]       Any thread, at any time while the object is valid, concurrently with anything
 *               else, including threads the plugin started itself.
 *
 * A host service tagged [instance] may be called only from inside one of the calling instance's
 * [instance] callbacks (with that instance's ctx), and one tagged [main] only from inside its
 * [main] callbacks. A plugin's own threads may call only [any] services.
 *
 * The host never runs two callbacks of one instance at the same time, [main] or [instance]:
 * start() happens-before the first data callback, and the last data callback (and flush())
 * happens-before stop(). Different instances, of one plugin or of several, do run at the same
 * time on different threads, so a plugin keeps its state in its instance, not in globals (or
 * guards its globals itself).
 *
 * Ownership and lifetime
 * ----------------------
 * Nobody frees, or writes to, the other side's memory unless a member says so. Every pointer
 * says who owns what it points to and until when it is valid:
 *   host-owned   the plugin may read it until the stated moment and copies what it keeps longer;
 *   plugin-owned the host reads it until the stated moment and never frees or changes it.
 * Unless a member says otherwise, what the host passes into a callback is host-owned and valid
 * until that callback returns, and what the plugin passes to a host service is read (or copied)
 * before the service returns. Strings are NUL-terminated UTF-8. Batches are host-owned and move
 * between owners as mafio/abi/batch.h describes.
 *
 * Growing structs
 * ---------------
 * The ABI only appends. A struct that can grow starts with `uint32_t struct_size`, written by
 * the side that fills it in (sizeof as that side was compiled). The reader reads a member only
 * when it lies inside that size, which MAFIO_STRUCT_HAS tests; a member outside it is treated as
 * 0 / NULL (its "absent" value, stated at the member). Vtables and arrays' elements never grow:
 * new optional callbacks come as extensions looked up by string id (mafio/ext/).
 *
 * Errors and exceptions
 * ---------------------
 * Callbacks report failure by returning a mafio_status (mafio/abi/status.h) after describing it
 * with host->set_error(). C++ exceptions never cross the boundary in either direction: the host
 * services never throw (in C++ terms they are noexcept), and plugin.hpp catches every exception
 * in every callback it generates. A host service never fails for lack of memory: when memory is
 * exhausted inside one, the agent aborts (SIGABRT), because neither side could recover from a
 * half-done call anyway.
 */

/*
 * Non-zero when `member` of the struct `*ptr` (of type `type`) lies within the size its writer
 * filled in, ptr->struct_size: for example
 *     MAFIO_STRUCT_HAS(mafio_create_args, args, component_id)
 * is 0 when a 1.1 host calls a 1.2 plugin's create(). Added in ABI 1.2; it works on every minor's
 * structs, since struct_size has been there since 1.0.
 */
#ifdef __cplusplus
/* The same test in C++ spelling, so that it stays quiet under -Wold-style-cast and friends. */
#define MAFIO_STRUCT_HAS(type, ptr, member)                                                        \
    ((ptr)->struct_size >= offsetof(type, member) + sizeof(type::member))
#else
#define MAFIO_STRUCT_HAS(type, ptr, member)                                                        \
    ((ptr)->struct_size >= offsetof(type, member) + sizeof(((const type *)0)->member))
#endif

/* ==== mafio/abi/version.h ==== */

/*
 * mafio plugin ABI: version numbers, the magic, the entry symbol, and what each minor appended.
 *
 * A plugin records the version it was compiled against in its descriptor (abi_major, abi_minor);
 * the host passes its own to the entry function and in mafio_host.
 *
 * History (every minor only appends; nothing of an earlier minor moved or changed):
 *   1.0  the first release.
 *   1.1  mafio_create_args.max_batch_records (and reserved1): the records-per-batch hint.
 *   1.2  mafio_create_args.component_id; mafio_plugin_desc.get_extension, checkpoint_format and
 *        checkpoint_formats_read; the host extensions "mafio.timer.v1" and "mafio.fd.v1"
 *        (mafio/ext/); names for values 1.0 already used (MAFIO_METRIC_COUNTER / _GAUGE), the
 *        documented metric limit (MAFIO_METRIC_LIMIT, MAFIO_METRIC_INVALID); MAFIO_STRUCT_HAS;
 *        MAFIO_PLUGIN_DESC_SIZE_1_2.
 */

/* A change of major breaks plugins; the host refuses a plugin of another major. */
#define MAFIO_ABI_MAJOR 1
/* Minor versions only append; a plugin built for minor N loads into any host of minor >= N. */
#define MAFIO_ABI_MINOR 2

/* "MAFO" read as a big-endian 32-bit number. Catches a descriptor that is not ours at all. */
#define MAFIO_PLUGIN_MAGIC 0x4D41464Fu

/* The one exported symbol, as a string for dlsym (see mafio/abi/descriptor.h). */
#define MAFIO_PLUGIN_ENTRY_SYMBOL "mafio_plugin_entry_v1"

/* ==== mafio/abi/status.h ==== */

/*
 * mafio plugin ABI: status codes, what callbacks and host services return.
 *
 * Zero and positive codes are normal outcomes; negative codes are permanent failures. A callback
 * that returns a failure describes it first with host->set_error() (mafio/abi/host.h); the host
 * prefixes the message with where the component was configured (for example `outputs[1]: `).
 * Which codes a callback may return, and what the host does with each, is said at the callback.
 */

typedef int32_t mafio_status;

#define MAFIO_OK 0
/* Transient: "not now, try the same call again later". Outputs: the host retries the records not
 * done with exponential backoff. Inputs: no data right now; mafio_input_vtable.poll says when the
 * host polls again. */
#define MAFIO_RETRY 1
/* Input only: the source is exhausted for good (stdin at EOF, a one-shot file read). The host
 * delivers what was emitted and stops this input. */
#define MAFIO_EOF 2
/* Permanent failures. */
#define MAFIO_ERR_INVALID (-1)  /* bad options or bad data; retrying the same thing cannot help */
#define MAFIO_ERR_IO (-2)       /* the destination or source failed for good */
#define MAFIO_ERR_INTERNAL (-3) /* a bug, or an exception caught at the boundary */
#define MAFIO_ERR_STOPPED (-4)  /* a host service refused because the agent is stopping */
/* Output only: the destination closed for good in the normal course of things (stdout piped
 * into `head`). The host stops the agent gracefully and exits 0. */
#define MAFIO_ERR_CLOSED (-5)

/* ==== mafio/abi/kind.h ==== */

/*
 * mafio plugin ABI: the three kinds of plugin. The kind decides which vtable the descriptor
 * points to (mafio/abi/vtables.h) and where the component sits in the pipeline.
 */

typedef enum mafio_kind {
    MAFIO_KIND_INPUT = 1,  /* reads a source and emits batches: mafio_input_vtable */
    MAFIO_KIND_FILTER = 2, /* rewrites or drops records of batches in place: mafio_filter_vtable */
    MAFIO_KIND_OUTPUT = 3  /* delivers records to a destination: mafio_output_vtable */
} mafio_kind;

/* ==== mafio/abi/log.h ==== */

/*
 * mafio plugin ABI: log levels for host->log (mafio/abi/host.h). The agent's -log-level decides
 * which levels are written; a filtered-out line costs the plugin one call and nothing more.
 */

typedef enum mafio_log_level {
    MAFIO_LOG_DEBUG = 0,
    MAFIO_LOG_INFO = 1,
    MAFIO_LOG_WARN = 2,
    MAFIO_LOG_ERROR = 3 /* host->log writes any value outside 0..3 as an error */
} mafio_log_level;

/* ==== mafio/abi/batch.h ==== */

/*
 * mafio plugin ABI: records and batches, the data that moves from inputs through filters to
 * outputs. There is never one call or one queue push per record: a batch is one contiguous byte
 * arena plus an array of records that view it.
 *
 * Ownership of a batch (the host allocates and frees every batch; see mafio/abi/conventions.h
 * for the thread tags):
 *   - An input gets a batch from host->batch_new() and owns it until it passes it to
 *     host->emit() (which always takes it) or host->batch_free(); after that it must not touch
 *     the batch again. [instance], inside poll().
 *   - A filter owns the batch it receives in process(), mutably, until process() returns; it
 *     rewrites it in place (mafio_filter_vtable.process) and never frees it. [instance]
 *   - An output receives the batch read-only in write(), valid until write() returns. Every
 *     output a batch is routed to reads the same batch, at the same time on their own threads,
 *     so an output never writes to it. [instance]
 *
 * Writing into a batch (its owner: an input, or a filter in process()): call host->batch_reserve()
 * to make room for `bytes` more arena bytes and `records` more records, then write at
 * `arena + arena_size` and at `records[count]` and advance `arena_size` and `count` yourself.
 * batch_reserve may move `arena` and `records`: re-read both pointers after each call. Records
 * refer to the arena by offset, so they stay valid when it moves.
 */

/* Record flags (mafio_record.flags). Unknown bits must be ignored and preserved. */
#define MAFIO_RECORD_TRUNCATED 0x1u /* the source record was longer than the input's limit */

/*
 * One record: a view of `len` bytes at `offset` in its batch's arena. A record does not include
 * its line terminator. An element of mafio_batch.records, so its size never changes in ABI 1.x:
 * 24 bytes, no padding. Written by the batch's owner, read by everyone after.
 */
typedef struct mafio_record {
    uint64_t offset; /* byte offset of the first byte in mafio_batch.arena */
    uint32_t len;    /* length in bytes */
    uint32_t flags;  /* MAFIO_RECORD_* bits */
    int64_t ts_ns;   /* event time, ns since the Unix epoch; 0 when the input does not know */
} mafio_record;

/*
 * A batch. "Host" members are maintained by the host (batch_new, batch_reserve); the batch's
 * owner reads them and never writes them. "Owner" members are written by whoever owns the batch
 * at the time (see above) and are read-only for everyone else.
 */
typedef struct mafio_batch {
    uint32_t struct_size;      /* host: sizeof(mafio_batch) the host was built with */
    uint32_t count;            /* owner: records in use, <= records_capacity */
    mafio_record *records;     /* host: the record array; the owner writes its elements */
    uint8_t *arena;            /* host: the bytes; the owner writes arena[0 .. arena_capacity) */
    uint64_t arena_size;       /* owner: bytes in use, <= arena_capacity */
    uint64_t arena_capacity;   /* host */
    uint32_t records_capacity; /* host */
    /* Input only: the input-defined stream the records belong to (for example one per file).
     * 0 from batch_new; the input that owns the batch sets it before emit(). From emit() on it
     * is read-only, filters included: the host keeps records in order, acknowledges them and
     * commits checkpoints per (input, stream). */
    uint32_t stream;
} mafio_batch;

/* ==== mafio/abi/checkpoint.h ==== */

/*
 * mafio plugin ABI: checkpoints, the positions that let an input resume where it stopped.
 *
 * An input attaches an opaque position to a batch with host->batch_set_checkpoint(). The bytes
 * mean something only to the plugins that read their format (for a file: its identity and
 * offset); the host stores them and hands them back.
 *
 * Acknowledgement: a batch is finished when every output it was routed to has finished all its
 * records (or given up on them for good), when filters removed all of them, or at once when no
 * output matches it. Checkpoints take effect in emit order per input: the checkpoint of batch N
 * is committed only once batches 1..N of that input are all finished, so a committed checkpoint
 * never passes data that is still in flight. The host keeps the last committed checkpoint of
 * every stream of the input, under the component's id, and stores them durably (temp file,
 * fsync, rename, fsync of the directory) at most every `checkpoint_interval` and at shutdown. On
 * the next start the input receives them in mafio_start_args. A checkpoint of length 0 forgets
 * its stream (for example a file that was read to its end and deleted). An empty batch (count 0)
 * may carry a checkpoint: it is acknowledged at once, after the batches before it.
 *
 * Delivery is therefore at-least-once: after a crash an input resumes from the last stored
 * checkpoint and re-reads what came after it.
 *
 * Formats (ABI 1.2): the descriptor names the format of the bytes a plugin writes and the
 * formats it reads (mafio_plugin_desc.checkpoint_format / checkpoint_formats_read, in
 * mafio/abi/descriptor.h), for example "mafio.file-position/1". The host stores the format beside
 * the bytes and never hands start() a checkpoint of a format the plugin does not read: it logs
 * that it starts the input without it instead. Plugins of one family share a format, so that an
 * operator can move between their tags without re-reading or losing data. A plugin built for
 * ABI 1.0 or 1.1 declares none; the host treats it as writing and reading "mafio.legacy/<name>".
 */

/*
 * One stored checkpoint, as start() receives it (an element of mafio_start_args.checkpoints, so
 * its size never changes in ABI 1.x). Host-owned, valid until start() returns: copy what you
 * keep.
 */
typedef struct mafio_checkpoint {
    uint32_t stream;     /* the mafio_batch.stream the checkpoint belongs to */
    uint32_t len;        /* bytes at data; never 0 (a 0-length checkpoint forgot its stream) */
    const uint8_t *data; /* the bytes the input passed to batch_set_checkpoint */
} mafio_checkpoint;

/* ==== mafio/abi/metric.h ==== */

/*
 * mafio plugin ABI: the metrics a plugin instance registers through the host (metric_register,
 * counter_add, gauge_set in mafio/abi/host.h). The host exports them labelled with the component
 * they belong to, on /metrics and to InfluxDB.
 *
 * Convention: a counter named "dropped_<reason>" counts records the plugin dropped for that
 * reason; the host also reports it as mafio_records_dropped_by_reason_total with a
 * reason="<reason>" label, so an operator sees drops across plugins without knowing their names.
 */

/* What metric_register returns, to pass to counter_add / gauge_set. */
typedef uint32_t mafio_metric_id;

/* Metric kinds for metric_register's `kind` (ABI 1.2 names the values 1.0 already used; any
 * other value is reserved). */
#define MAFIO_METRIC_COUNTER 0u /* monotonic, only grows: counter_add */
#define MAFIO_METRIC_GAUGE 1u   /* a value that goes up and down: gauge_set */

/* The most metrics one instance can register. Registering the same name again does not count. */
#define MAFIO_METRIC_LIMIT 64u
/* What metric_register returns when the instance already has MAFIO_METRIC_LIMIT metrics. The
 * host ignores counter_add / gauge_set with it (as with any id it did not return), so a plugin
 * need not check; the metric is simply not exported. */
#define MAFIO_METRIC_INVALID 0xFFFFFFFFu

/* ==== mafio/abi/host.h ==== */

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

    /* Non-zero once the agent has been asked to stop. A long-running input callback should check
     * it at least every 100 ms and return. [any] */
    int (*stopping)(mafio_host_ctx *ctx);

    /* Look up an optional host extension by its string id (MAFIO_EXT_TIMER, MAFIO_EXT_FD in
     * mafio/ext/); NULL when this host does not offer it. The table returned is host-owned and
     * valid for as long as the host table (at least until destroy() returns). [any] */
    const void *(*get_extension)(mafio_host_ctx *ctx, const char *name);
} mafio_host;

/* ==== mafio/abi/lifecycle.h ==== */

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

/* ==== mafio/abi/vtables.h ==== */

/*
 * mafio plugin ABI: the vtable of each kind, holding the lifecycle and the kind's data callback.
 * mafio_plugin_desc.vtable points to the one of the plugin's kind. Vtables never grow in ABI 1.x
 * (a host could not tell a longer one from a shorter one); new optional callbacks come as
 * extensions (mafio_plugin_desc.get_extension). Data callbacks are [instance]
 * (mafio/abi/conventions.h).
 */

/*
 * Input: poll() reads what is available, emits zero or more batches with host->emit(), and
 * returns
 *   MAFIO_OK     call again now (there may be more);
 *   MAFIO_RETRY  nothing right now: see below for when the host polls again;
 *   MAFIO_EOF    finished for good: the host delivers what was emitted and stops this input;
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

/* ==== mafio/abi/descriptor.h ==== */

/*
 * mafio plugin ABI: the descriptor, the entry function that returns it, and how the host loads a
 * plugin.
 *
 * A plugin is one shared object named `<name>-<tag>.so` in the plugins directory. The host opens
 * it by absolute path with RTLD_NOW | RTLD_LOCAL and looks up exactly one symbol:
 *
 *     const mafio_plugin_desc *mafio_plugin_entry_v1(uint32_t host_abi_major,
 *                                                    uint32_t host_abi_minor);
 *
 * The plugin returns its descriptor, or NULL when it cannot serve a host of that version. Before
 * calling anything else in the plugin the host checks, in this order: the symbol is present, the
 * result is not NULL, `magic` is MAFIO_PLUGIN_MAGIC, `abi_major` equals the host's,
 * `struct_size` is at least MAFIO_PLUGIN_DESC_SIZE_1_0, `abi_minor` is not newer than the host's,
 * kind/name/tag match the file name and the request, and the callbacks required for the kind are
 * present. Plugins are built with hidden visibility and export nothing but the entry function
 * (MAFIO_PLUGIN_EXPORT). The entry function is [main] and may be called more than once; it
 * returns the same descriptor each time.
 */

/*
 * Returned by the entry function. Plugin-owned, static: it and every string in it stay valid
 * until the library is unloaded (string literals are the norm); the host never writes to it. The
 * host reads it only up to `struct_size` (MAFIO_STRUCT_HAS): a member outside it is NULL.
 */
typedef struct mafio_plugin_desc {
    uint32_t magic;       /* MAFIO_PLUGIN_MAGIC */
    uint32_t struct_size; /* sizeof(mafio_plugin_desc) as the plugin was compiled */
    uint32_t abi_major;   /* MAFIO_ABI_MAJOR the plugin was compiled against */
    uint32_t abi_minor;   /* MAFIO_ABI_MINOR the plugin was compiled against */
    uint32_t kind;        /* mafio_kind */
    uint32_t reserved0;
    const char *name;           /* [a-z0-9_]+, equals the file name's <name> */
    const char *tag;            /* [A-Za-z0-9_.]+, equals the file name's <tag> */
    const char *version;        /* the plugin's own version, e.g. "1.0.0" */
    const char *description;    /* one line */
    const char *options_schema; /* JSON Schema of the options object, or NULL */
    const void *vtable;         /* mafio_input_vtable / mafio_filter_vtable / mafio_output_vtable */

    /* ---- ABI 1.2 (absent: NULL) ---- */

    /* Optional plugin-side extensions, looked up by the host by string id, as host->get_extension
     * works the other way. `instance` is NULL for extensions of the plugin as a whole. Returns a
     * table owned by the plugin that stays valid until the library is unloaded, or NULL when the
     * plugin does not offer `id`. May be NULL (no extensions). [any] */
    const void *(*get_extension)(void *instance, const char *id);

    /* Checkpoint formats (inputs; mafio/abi/checkpoint.h). `checkpoint_format` names the format
     * of the bytes this plugin passes to batch_set_checkpoint, such as "mafio.file-position/1";
     * NULL when it writes none. `checkpoint_formats_read` is a NULL-terminated list of the formats
     * start() understands; NULL means "only checkpoint_format". The host stores the format beside
     * the bytes and never hands start() a checkpoint of a format the plugin does not read: it
     * logs that it starts the input without it instead. Plugins of one family share a format so
     * that an operator can move between their tags without re-reading or losing data.
     * A plugin built for ABI 1.0 or 1.1 has neither; the host treats it as writing and reading
     * the format "mafio.legacy/<name>", which is what 0.3 stored. */
    const char *checkpoint_format;
    const char *const *checkpoint_formats_read;
} mafio_plugin_desc;

/* The size of the 1.0 descriptor: the smallest struct_size a host accepts. */
#define MAFIO_PLUGIN_DESC_SIZE_1_0 ((uint32_t)(6 * sizeof(uint32_t) + 6 * sizeof(void *)))
/* The size of the 1.2 descriptor (1.1 did not change it). */
#define MAFIO_PLUGIN_DESC_SIZE_1_2 ((uint32_t)(6 * sizeof(uint32_t) + 9 * sizeof(void *)))

/* The entry function's type, for dlsym's result. */
typedef const mafio_plugin_desc *(*mafio_plugin_entry_fn)(uint32_t host_abi_major,
                                                          uint32_t host_abi_minor);

/* Declares the entry function with default visibility (everything else stays hidden). */
#if defined(__GNUC__)
#define MAFIO_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define MAFIO_PLUGIN_EXPORT
#endif

/* ==== mafio/ext/timer.h ==== */

/*
 * mafio host extension "mafio.timer.v1" (ABI 1.2): an input asks to be polled at a monotonic
 * time instead of after a fixed short pause. Look it up with
 *     const mafio_timer_ext *t = host->get_extension(ctx, MAFIO_EXT_TIMER);
 * NULL from a host that does not offer it (any 1.0 or 1.1 host): then the input is polled again
 * after a short pause as before, and should not rely on the timer for correctness. Using it once
 * makes the input "scheduled" (mafio_input_vtable.poll in mafio/abi/vtables.h says what that
 * changes). The table is host-owned (mafio_host.get_extension says how long it lives).
 */

#define MAFIO_EXT_TIMER "mafio.timer.v1"

typedef struct mafio_timer_ext {
    uint32_t struct_size; /* sizeof(mafio_timer_ext) as the host was built */
    uint32_t reserved0;
    /* Poll this input again no later than `monotonic_ns` (CLOCK_MONOTONIC, ns). One pending time
     * per instance: a later call replaces it; it is cleared when it fires. A time already past
     * means "soon". [instance] from poll(), or [main] from start(). */
    void (*wake_at)(mafio_host_ctx *ctx, int64_t monotonic_ns);
} mafio_timer_ext;

/* ==== mafio/ext/fd.h ==== */

/*
 * mafio host extension "mafio.fd.v1" (ABI 1.2): an input asks to be polled when a file
 * descriptor is readable instead of after a fixed short pause. Look it up with
 *     const mafio_fd_ext *f = host->get_extension(ctx, MAFIO_EXT_FD);
 * NULL from a host that does not offer it (any 1.0 or 1.1 host): then the input is polled again
 * after a short pause as before. Watching a descriptor makes the input "scheduled"
 * (mafio_input_vtable.poll in mafio/abi/vtables.h says what that changes). The table is
 * host-owned (mafio_host.get_extension says how long it lives).
 */

#define MAFIO_EXT_FD "mafio.fd.v1"
/* The most descriptors one instance may watch. */
#define MAFIO_FD_WATCH_LIMIT 16u

typedef struct mafio_fd_ext {
    uint32_t struct_size; /* sizeof(mafio_fd_ext) as the host was built */
    uint32_t reserved0;
    /* Poll this input when `fd` is readable (or has an error or hang-up). The plugin keeps
     * owning the descriptor; it must unwatch it before closing it. Returns MAFIO_OK, or
     * MAFIO_ERR_INVALID for a negative fd or more than MAFIO_FD_WATCH_LIMIT. [instance] */
    mafio_status (*watch)(mafio_host_ctx *ctx, int fd);
    /* Stop watching `fd`; unknown descriptors are ignored. [instance] */
    void (*unwatch)(mafio_host_ctx *ctx, int fd);
} mafio_fd_ext;

#ifdef __cplusplus
}
#endif

#endif /* MAFIO_PLUGIN_1_2_H */
