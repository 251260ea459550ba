/*
 * mafio plugin ABI — the stable C contract between the mafio host and its plugins.
 *
 * This header is C99 with no C++ types so that a plugin can be written in any language that
 * speaks the C calling convention. It is append-only: a struct only grows at its end, a new
 * member is announced by a new minor version, and each side reads the other's structs only up
 * to the `struct_size` the other side wrote.
 *
 * How a plugin is found and loaded
 * --------------------------------
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
 * present. Plugins are built with hidden visibility and export nothing but the entry function.
 *
 * Threads
 * -------
 * The lifecycle callbacks (create, start, stop, destroy) are called from the host's main
 * thread. The data callbacks (poll, process, write) and flush are called from one host thread
 * per instance, its "instance thread". The host never calls two callbacks of one instance at
 * the same time, and orders them (everything start() did is visible to the instance thread,
 * everything the instance thread did is visible to stop()). Different instances of the same
 * plugin may run on different threads at the same time, so a plugin keeps its state in its
 * instance, not in globals. Host services say from which threads they may be called.
 *
 * Memory
 * ------
 * Nobody frees the other side's memory. Strings and buffers the host passes in are valid until
 * the callback returns, unless stated otherwise. Strings in the descriptor are owned by the
 * plugin and must stay valid until the library is unloaded (string literals are the norm).
 * Batches are allocated and freed by the host; see mafio_batch.
 *
 * Errors
 * ------
 * Callbacks return a mafio_status. MAFIO_RETRY means "transient, try the same call again later";
 * negative codes are permanent. A callback that fails should describe why with
 * host->set_error() before it returns; the host prefixes the message with where the instance was
 * configured (for example `outputs[1]: `). C++ exceptions must never cross this boundary:
 * plugin.hpp catches them in every callback it generates.
 */
#ifndef MAFIO_PLUGIN_H
#define MAFIO_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Versions ------------------------------------------------------------------------------ */

/* A change of major breaks plugins; the host refuses a plugin of another major. */
#define MAFIO_ABI_MAJOR 1
/* Minor versions only append; a plugin built for minor N loads into any host of minor >= N. */
#define MAFIO_ABI_MINOR 2

/* "MAFO" read as a big-endian 32-bit number. Catches a descriptor that is not ours at all. */
#define MAFIO_PLUGIN_MAGIC 0x4D41464Fu

/* The one exported symbol, as a string for dlsym. */
#define MAFIO_PLUGIN_ENTRY_SYMBOL "mafio_plugin_entry_v1"

/* ---- Status codes ---------------------------------------------------------------------------- */

typedef int32_t mafio_status;

#define MAFIO_OK 0
/* Transient: the host retries the same call later with exponential backoff (outputs), or calls
 * poll again after a short wait (inputs: "no data right now"). */
#define MAFIO_RETRY 1
/* Input only: the source is exhausted for good (stdin at EOF, a one-shot file read). The host
 * drains what was emitted and stops this input. */
#define MAFIO_EOF 2
/* Permanent failures. */
#define MAFIO_ERR_INVALID (-1)  /* bad options or bad data; retrying the same thing cannot help */
#define MAFIO_ERR_IO (-2)       /* the destination or source failed for good */
#define MAFIO_ERR_INTERNAL (-3) /* a bug or an exception caught at the boundary */
#define MAFIO_ERR_STOPPED (-4)  /* a host service refused because the agent is stopping */
/* Output only: the destination closed for good in the normal course of things (stdout piped
 * into `head`). The host stops the agent gracefully and exits 0. */
#define MAFIO_ERR_CLOSED (-5)

/* ---- Plugin kinds ---------------------------------------------------------------------------- */

typedef enum mafio_kind {
    MAFIO_KIND_INPUT = 1,
    MAFIO_KIND_FILTER = 2,
    MAFIO_KIND_OUTPUT = 3
} mafio_kind;

/* ---- Log levels (host->log) ------------------------------------------------------------------ */

typedef enum mafio_log_level {
    MAFIO_LOG_DEBUG = 0,
    MAFIO_LOG_INFO = 1,
    MAFIO_LOG_WARN = 2,
    MAFIO_LOG_ERROR = 3
} mafio_log_level;

/* ---- Records and batches --------------------------------------------------------------------- */

/* Record flags (mafio_record.flags). Unknown bits must be ignored and preserved. */
#define MAFIO_RECORD_TRUNCATED 0x1u /* the source record was longer than the input's limit */

/*
 * One record: a view of `len` bytes at `offset` in its batch's arena. Records refer to the
 * arena by offset, not by pointer, so the arena may move when it grows. A record does not
 * include its line terminator. 24 bytes, no padding.
 */
typedef struct mafio_record {
    uint64_t offset; /* byte offset of the first byte in mafio_batch.arena */
    uint32_t len;    /* length in bytes */
    uint32_t flags;  /* MAFIO_RECORD_* bits */
    int64_t ts_ns;   /* event time, ns since the Unix epoch; 0 when the input does not know */
} mafio_record;

/*
 * The unit that moves through the pipeline: one contiguous byte arena and an array of records
 * that view it. There is never one call or one queue push per record.
 *
 * Ownership and lifetime:
 *   - An input gets a batch from host->batch_new() and owns it until it passes it to
 *     host->emit() (which always takes it) or host->batch_free(). After that it must not touch
 *     the batch again.
 *   - A filter's process() receives the batch mutably, owns it until it returns, and may
 *     rewrite it in place (see mafio_filter_vtable.process).
 *   - An output's write() receives it read-only; it is valid until write() returns. The same
 *     batch is shared by all outputs, so an output never modifies it.
 *
 * Writing into a batch (inputs and filters): call host->batch_reserve() to make room for
 * `bytes` more arena bytes and `records` more records, then write at
 * `arena + arena_size` and `records[count]` and advance `arena_size` and `count` yourself.
 * batch_reserve may move `arena` and `records`; re-read the pointers after each call.
 * Members below `records_capacity` are maintained by the host; never write them.
 */
typedef struct mafio_batch {
    uint32_t struct_size; /* set by the host: sizeof(mafio_batch) it was built with */
    uint32_t count;       /* records in use (writable by the owner, <= records_capacity) */
    mafio_record *records;
    uint8_t *arena;
    uint64_t arena_size;       /* bytes in use (writable by the owner, <= arena_capacity) */
    uint64_t arena_capacity;   /* host-maintained */
    uint32_t records_capacity; /* host-maintained */
    uint32_t stream;           /* input-defined stream id (for example one per file); order is
                                  kept per (input, stream). Set before emit; default 0. */
} mafio_batch;

/* ---- Checkpoints ----------------------------------------------------------------------------- */

/*
 * An opaque position an input attaches to a batch with host->batch_set_checkpoint(). The bytes
 * mean something only to the plugin that wrote them (for a file: its identity and offset).
 *
 * Acknowledgement: a batch is finished when every output has finished all its records (or
 * given up on them for good), or when filters removed all of them. Checkpoints take effect in
 * emit order per input: the checkpoint of batch N is committed only once batches 1..N of that
 * input are all finished, so a committed checkpoint never passes data that is still in flight.
 * The host keeps the last committed checkpoint of every stream of the input and stores them
 * durably (temp file, fsync, rename, fsync of the directory) at most every
 * `checkpoint_interval` and at shutdown. On the next start the input receives all of them in
 * mafio_start_args. A checkpoint of length 0 forgets its stream (for example a file that was
 * read to its end and deleted). An empty batch (count 0) may carry a checkpoint: it is
 * acknowledged at once, after the batches before it.
 *
 * Delivery is therefore at-least-once: after a crash an input resumes from the last stored
 * checkpoint and re-reads what came after it.
 */
typedef struct mafio_checkpoint {
    uint32_t stream; /* the mafio_batch.stream the checkpoint belongs to */
    uint32_t len;
    const uint8_t *data; /* owned by the host, valid until start() returns: copy what you keep */
} mafio_checkpoint;

/* ---- The host services table ----------------------------------------------------------------- */

/* Opaque to plugins: identifies the calling instance to the host. */
typedef struct mafio_host_ctx mafio_host_ctx;

typedef uint32_t mafio_metric_id;

/* Metric kinds for host->metric_register (ABI 1.2 names the values 1.0 already used). */
#define MAFIO_METRIC_COUNTER 0u /* monotonic, only grows: counter_add */
#define MAFIO_METRIC_GAUGE 1u   /* a value that goes up and down: gauge_set */
/* metric_register returns this when the instance already has MAFIO_METRIC_LIMIT metrics; updates
 * with it are ignored, so a plugin need not check. */
#define MAFIO_METRIC_INVALID 0xFFFFFFFFu
#define MAFIO_METRIC_LIMIT 64u

/*
 * Services the host offers. Passed to create(); the pointer and every function in it stay valid
 * until destroy() returns. Read only up to `struct_size`: a member is present when
 * offsetof(member) + sizeof(member) <= struct_size.
 */
typedef struct mafio_host {
    uint32_t struct_size;
    uint32_t abi_major;
    uint32_t abi_minor;
    uint32_t reserved0;

    /* Write one line to the agent's log, tagged with the instance. `msg` needs no newline.
     * Any thread. Cheap when the level is filtered out, but still not for per-record use. */
    void (*log)(mafio_host_ctx *ctx, mafio_log_level level, const char *msg);

    /* Describe the failure the current callback is about to return. The host copies `msg`.
     * From the thread making that callback. */
    void (*set_error)(mafio_host_ctx *ctx, const char *msg);

    /* Register a metric once (in create or start) and update it by id afterwards.
     * `name` is a short snake_case name such as "dropped_empty"; the host adds the instance
     * labels. `kind` is 0 for a monotonic counter, 1 for a gauge. Returns the id; calling again
     * with the same name returns the same id. From create() or start() only.
     * Convention: a counter named "dropped_<reason>" counts records the plugin dropped for
     * that reason; the host also reports it as mafio_records_dropped_by_reason_total with a
     * reason="<reason>" label. */
    mafio_metric_id (*metric_register)(mafio_host_ctx *ctx, const char *name, const char *help,
                                       uint32_t kind);
    /* Add to a counter / set a gauge. Any thread; lock-free; meant for once per batch. */
    void (*counter_add)(mafio_host_ctx *ctx, mafio_metric_id id, uint64_t delta);
    void (*gauge_set)(mafio_host_ctx *ctx, mafio_metric_id id, int64_t value);

    /* A new empty batch with room for at least `bytes` arena bytes and `records` records.
     * Never NULL (the agent aborts on out-of-memory). Inputs, from poll(). */
    mafio_batch *(*batch_new)(mafio_host_ctx *ctx, uint64_t bytes, uint32_t records);
    /* Make room for `bytes` more arena bytes and `records` more records beyond the current
     * arena_size / count. May move arena and records. Owner of the batch only. */
    void (*batch_reserve)(mafio_host_ctx *ctx, mafio_batch *batch, uint64_t bytes,
                          uint32_t records);
    /* Attach a checkpoint for the batch's `stream` (copied; replaces an earlier one). Set
     * `stream` before emitting. See mafio_checkpoint for when it takes effect. Owner only. */
    void (*batch_set_checkpoint)(mafio_host_ctx *ctx, mafio_batch *batch, const uint8_t *data,
                                 uint32_t len);
    /* Give back a batch that will not be emitted. Owner only. */
    void (*batch_free)(mafio_host_ctx *ctx, mafio_batch *batch);
    /* Hand a batch to the pipeline. Always takes ownership, even on error. Blocks while the
     * read channel is full (backpressure). Returns MAFIO_OK, or MAFIO_ERR_STOPPED when the
     * agent is stopping (the batch is still delivered). Inputs, from poll(). */
    mafio_status (*emit)(mafio_host_ctx *ctx, mafio_batch *batch);

    /* Non-zero once the agent has been asked to stop. A long-running input callback should
     * check it at least every 100 ms and return. Any thread. */
    int (*stopping)(mafio_host_ctx *ctx);

    /* Look up an optional host extension by name (for example "mafio.http.v1"); NULL when the
     * host does not offer it. The returned table lives as long as the host. Any thread. */
    const void *(*get_extension)(mafio_host_ctx *ctx, const char *name);
} mafio_host;

/* ---- Instance lifecycle --------------------------------------------------------------------- */

/*
 * What create() receives. `options_json` is the plugin's JSON object from the configuration
 * (every key beside "plugin"), always a valid JSON object, "{}" when there are none.
 * Valid until create() returns.
 */
typedef struct mafio_create_args {
    uint32_t struct_size;
    uint32_t reserved0;
    const mafio_host *host;
    mafio_host_ctx *ctx;      /* pass back to every host service; valid until destroy() */
    const char *options_json; /* NUL-terminated UTF-8 */
    const char *instance;     /* e.g. "inputs[0]", for messages; valid until destroy() */
    const char *data_dir;     /* per-instance directory the plugin may use, or "" */

    /* ---- ABI 1.1 (present when struct_size covers it; treat as 0 otherwise) ---- */

    /* Inputs: the most records one emitted batch should hold, 0 for no preference. The host
     * derives it from its channel bounds (-max-read-channel-size / -max-write-channel-size),
     * which count records: a batch larger than a whole bound is still admitted, alone, so an
     * input that ignores the hint still works but makes the bound coarser than configured. */
    uint32_t max_batch_records;
    uint32_t reserved1;

    /* ---- ABI 1.2 (present when struct_size covers it; treat as NULL otherwise) ---- */

    /* The component's stable id from the configuration ([a-z0-9_-]+, e.g. "app_logs"). It keys
     * the instance's checkpoints, data_dir, metrics and log lines across restarts and reloads.
     * Owned by the host, valid until destroy() returns. */
    const char *component_id;
} mafio_create_args;

/* What start() receives: the checkpoints stored by an earlier run. */
typedef struct mafio_start_args {
    uint32_t struct_size;
    uint32_t checkpoint_count;
    const mafio_checkpoint *checkpoints; /* valid until start() returns */
} mafio_start_args;

/*
 * Callbacks common to every kind. The order is always:
 *   create -> start -> (poll | process | write)* -> flush -> stop -> destroy
 * and destroy follows a successful create even when start fails.
 *
 * create:  parse and validate options; no I/O beyond what validation needs. On failure return
 *          NULL in *out_instance with an error set (MAFIO_ERR_INVALID for bad options).
 * start:   open files, connect. May be NULL.
 * flush:   push out anything buffered (called at shutdown and may be called when idle). May be
 * NULL. stop:    release resources opened in start. May be NULL. destroy: free the instance.
 * Required.
 */
typedef struct mafio_lifecycle {
    mafio_status (*create)(const mafio_create_args *args, void **out_instance);
    mafio_status (*start)(void *instance, const mafio_start_args *args);
    mafio_status (*flush)(void *instance);
    mafio_status (*stop)(void *instance);
    void (*destroy)(void *instance);
} mafio_lifecycle;

/*
 * Input: poll() reads what is available, emits zero or more batches with host->emit(), and
 * returns MAFIO_OK (call again now), MAFIO_RETRY (nothing right now: the host pauses at most
 * 50 ms before the next poll), MAFIO_EOF (finished for good) or an error (the input stops). poll()
 * must return within about 100 ms when no data arrives so that the agent can stop promptly.
 */
typedef struct mafio_input_vtable {
    mafio_lifecycle life;
    mafio_status (*poll)(void *instance);
} mafio_input_vtable;

/*
 * Filter: process() transforms one batch in place. It may
 *   - drop records by compacting `records` and lowering `count`,
 *   - change a record's bytes in place, or point it at new bytes appended with batch_reserve,
 *   - add records (batch_reserve, then append).
 * It must not free the batch. Records of a stream keep their relative order.
 * MAFIO_OK passes the (possibly changed) batch on; an error is counted and logged and the
 * batch is passed on as it is (no silent loss, no stuck pipeline).
 */
typedef struct mafio_filter_vtable {
    mafio_lifecycle life;
    mafio_status (*process)(void *instance, mafio_batch *batch);
} mafio_filter_vtable;

/*
 * Output: write() delivers `count` records starting at index `first` of a read-only batch
 * (never more than the agent's write bulk size). It returns
 *   MAFIO_OK     all `count` records are done (*done is ignored);
 *   MAFIO_RETRY  only *done records (0..count) are done; the host retries the rest later;
 *   MAFIO_ERR_*  the records not reported done are failed for good; the host counts and logs
 *                them and moves on.
 */
typedef struct mafio_output_vtable {
    mafio_lifecycle life;
    mafio_status (*write)(void *instance, const mafio_batch *batch, uint32_t first, uint32_t count,
                          uint32_t *done);
} mafio_output_vtable;

/* ---- Host extensions: scheduling (ABI 1.2) --------------------------------------------------- */

/*
 * By default an input whose poll() returns MAFIO_RETRY is polled again after a short pause
 * (at most 50 ms). An input that waits for data or for time tells the host what it waits for
 * instead, through these two extensions, and costs no CPU while it waits. An input that has
 * used either of them once is "scheduled": after MAFIO_RETRY the host polls it again only when
 * a watched descriptor is readable, when its wake-up time has come, or when the component is
 * being stopped, paused or resumed (poll() must then return promptly, as always).
 * MAFIO_OK still means "call again now".
 */

#define MAFIO_EXT_TIMER "mafio.timer.v1"
typedef struct mafio_timer_ext {
    uint32_t struct_size;
    uint32_t reserved0;
    /* Poll this input again no later than `monotonic_ns` (CLOCK_MONOTONIC, ns). One pending time
     * per instance: a later call replaces it; it is cleared when it fires. A time already past
     * means "soon". [instance] (from poll or start) */
    void (*wake_at)(mafio_host_ctx *ctx, int64_t monotonic_ns);
} mafio_timer_ext;

#define MAFIO_EXT_FD "mafio.fd.v1"
/* The most descriptors one instance may watch. */
#define MAFIO_FD_WATCH_LIMIT 16u
typedef struct mafio_fd_ext {
    uint32_t struct_size;
    uint32_t reserved0;
    /* Poll this input when `fd` is readable (or has an error or hang-up). The plugin keeps
     * owning the descriptor; it must unwatch it before closing it. Returns MAFIO_OK, or
     * MAFIO_ERR_INVALID for a negative fd or more than MAFIO_FD_WATCH_LIMIT. [instance] */
    mafio_status (*watch)(mafio_host_ctx *ctx, int fd);
    /* Stop watching `fd`; unknown descriptors are ignored. [instance] */
    void (*unwatch)(mafio_host_ctx *ctx, int fd);
} mafio_fd_ext;

/* ---- The descriptor -------------------------------------------------------------------------- */

/*
 * Returned by the entry function. Owned by the plugin, static, valid until the library is
 * unloaded; the host never writes to it. `vtable` points to the mafio_*_vtable of `kind`.
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

    /* ---- ABI 1.2 (present when struct_size covers it; treat as NULL otherwise) ---- */

    /* Optional plugin-side extensions, looked up by the host by string id, as host->get_extension
     * works the other way. `instance` is NULL for extensions of the plugin as a whole. Returns a
     * table owned by the plugin that stays valid until the library is unloaded, or NULL when the
     * plugin does not offer `id`. May be NULL (no extensions). [any] */
    const void *(*get_extension)(void *instance, const char *id);

    /* Checkpoint formats (inputs). `checkpoint_format` names the format of the bytes this plugin
     * passes to batch_set_checkpoint, such as "mafio.file-position/1"; NULL when it writes none.
     * `checkpoint_formats_read` is a NULL-terminated list of the formats start() understands;
     * NULL means "only checkpoint_format". The host stores the format beside the bytes and never
     * hands start() a checkpoint of a format the plugin does not read: it logs that it starts
     * the input without it instead. Plugins of one family share a format so that an operator
     * can move between their tags without re-reading or losing data.
     * A plugin built for ABI 1.0 or 1.1 has neither; the host treats it as writing and reading
     * the format "mafio.legacy/<name>", which is what 0.3 stored. */
    const char *checkpoint_format;
    const char *const *checkpoint_formats_read;
} mafio_plugin_desc;

/* The size of the 1.0 descriptor: the smallest struct_size a host accepts. */
#define MAFIO_PLUGIN_DESC_SIZE_1_0 ((uint32_t)(6 * sizeof(uint32_t) + 6 * sizeof(void *)))
/* The size of the 1.2 descriptor (1.1 did not change it). */
#define MAFIO_PLUGIN_DESC_SIZE_1_2 ((uint32_t)(6 * sizeof(uint32_t) + 9 * sizeof(void *)))

typedef const mafio_plugin_desc *(*mafio_plugin_entry_fn)(uint32_t host_abi_major,
                                                          uint32_t host_abi_minor);

/* Declares the entry function with default visibility (everything else stays hidden). */
#if defined(__GNUC__)
#define MAFIO_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define MAFIO_PLUGIN_EXPORT
#endif

#ifdef __cplusplus
}
#endif

#endif /* MAFIO_PLUGIN_H */
