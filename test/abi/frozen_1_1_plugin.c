/*
 * frozen_1_1:V1 — an input compiled in plain C99 against the FROZEN ABI 1.1 header only
 * (plugin_1_1.h, not plugin-sdk/include). It stands for a plugin built when ABI 1.1 was current
 * and never rebuilt: test_abi_compat.sh runs it beside 1.2 plugins and a 1.0 one, and restarts
 * it from its own checkpoint.
 *
 * It emits the records "1.1:<n>" for n from 1 (or from where its stored checkpoint says) up to
 * `count`, then returns MAFIO_EOF. Each batch holds at most max_batch_records records (the member
 * ABI 1.1 appended to mafio_create_args; 1000 when the host has no preference), belongs to
 * stream 7 and carries a checkpoint: the next n, 8 bytes little-endian. So a layout change in any
 * of these shows up as wrong output, a refused restart or a wrong log line:
 *   - descriptor and input vtable (the host reads them),
 *   - mafio_create_args up to max_batch_records; mafio_start_args and mafio_checkpoint,
 *   - mafio_host services log, set_error, metric_register, counter_add, gauge_set, batch_new,
 *     batch_reserve, batch_set_checkpoint, emit and stopping,
 *   - mafio_batch (records, arena, sizes, stream) and mafio_record.
 * Options: {"count": N}, default 10000; anything else is refused through set_error.
 */
#include "plugin_1_1.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STREAM 7u
#define DEFAULT_COUNT 10000u
#define DEFAULT_BATCH 1000u
#define MAX_RECORD_BYTES 24u /* "1.1:" and up to 20 digits */

typedef struct frozen_instance {
    const mafio_host *host;
    mafio_host_ctx *ctx;
    uint64_t count; /* the last n to emit */
    uint64_t next;  /* the next n to emit */
    uint32_t per_batch;
    mafio_metric_id emitted;
    mafio_metric_id batch_limit;
} frozen_instance;

/* A member is there when the writer's struct_size covers it. */
#define HAS(type, ptr, member)                                                                     \
    (offsetof(type, member) + sizeof((ptr)->member) <= (ptr)->struct_size)

static const char *skip_space(const char *p) {
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        ++p;
    return p;
}

/* Accepts exactly {} or {"count": <digits>}, with any whitespace. */
static int parse_options(const char *json, uint64_t *count) {
    const char *p = skip_space(json);
    if (*p++ != '{') return 0;
    p = skip_space(p);
    if (*p == '"') {
        uint64_t n = 0;
        int digits = 0;
        if (strncmp(p, "\"count\"", 7) != 0) return 0;
        p = skip_space(p + 7);
        if (*p++ != ':') return 0;
        p = skip_space(p);
        for (; *p >= '0' && *p <= '9' && digits < 18; ++p, ++digits)
            n = n * 10 + (uint64_t)(*p - '0');
        if (digits == 0) return 0;
        *count = n;
        p = skip_space(p);
    }
    if (*p++ != '}') return 0;
    return *skip_space(p) == '\0';
}

static mafio_status frozen_create(const mafio_create_args *args, void **out) {
    const mafio_host *host = args->host;
    frozen_instance *inst;
    uint64_t count = DEFAULT_COUNT;
    *out = NULL;
    if (!parse_options(args->options_json, &count)) {
        host->set_error(args->ctx, "frozen_1_1 takes only {\"count\": <records>}");
        return MAFIO_ERR_INVALID;
    }
    inst = (frozen_instance *)malloc(sizeof *inst);
    if (!inst) {
        host->set_error(args->ctx, "out of memory");
        return MAFIO_ERR_INTERNAL;
    }
    inst->host = host;
    inst->ctx = args->ctx;
    inst->count = count;
    inst->next = 1;
    inst->per_batch = DEFAULT_BATCH;
    /* A 1.0 host's args end before the hint; a 1.1 or later host's cover it. */
    if (HAS(mafio_create_args, args, max_batch_records) && args->max_batch_records > 0)
        inst->per_batch = args->max_batch_records;
    inst->emitted = host->metric_register(args->ctx, "emitted", "records emitted", 0);
    inst->batch_limit = host->metric_register(args->ctx, "batch_limit", "records per batch", 1);
    host->gauge_set(args->ctx, inst->batch_limit, (int64_t)inst->per_batch);
    *out = inst;
    return MAFIO_OK;
}

static mafio_status frozen_start(void *instance, const mafio_start_args *args) {
    frozen_instance *inst = (frozen_instance *)instance;
    char line[160];
    uint32_t i;
    for (i = 0; i < args->checkpoint_count; ++i) {
        const mafio_checkpoint *c = &args->checkpoints[i];
        uint64_t next = 0;
        int b;
        if (c->stream != STREAM || c->len != 8) {
            snprintf(line, sizeof line,
                     "frozen_1_1 was handed a checkpoint it did not write: stream %u, %u bytes",
                     (unsigned)c->stream, (unsigned)c->len);
            inst->host->set_error(inst->ctx, line);
            return MAFIO_ERR_INVALID;
        }
        for (b = 7; b >= 0; --b)
            next = next << 8 | c->data[b];
        inst->next = next;
    }
    snprintf(line, sizeof line,
             "frozen ABI 1.1 plugin started: max_batch_records=%u, resuming at record %llu",
             (unsigned)inst->per_batch, (unsigned long long)inst->next);
    inst->host->log(inst->ctx, MAFIO_LOG_INFO, line);
    return MAFIO_OK;
}

static void frozen_destroy(void *instance) {
    free(instance);
}

static mafio_status frozen_poll(void *instance) {
    frozen_instance *inst = (frozen_instance *)instance;
    const mafio_host *host = inst->host;
    uint8_t checkpoint[8];
    uint64_t left, n, next;
    uint32_t i;
    mafio_batch *b;
    mafio_status st;
    if (inst->next > inst->count) return MAFIO_EOF;
    if (host->stopping(inst->ctx)) return MAFIO_RETRY;
    left = inst->count - inst->next + 1;
    n = left < inst->per_batch ? left : inst->per_batch;
    b = host->batch_new(inst->ctx, 0, 0);
    /* May move arena and records: the pointers are read after it. */
    host->batch_reserve(inst->ctx, b, n * MAX_RECORD_BYTES + 1, (uint32_t)n); /* + snprintf's NUL */
    for (i = 0; i < n; ++i) {
        char *dst = (char *)(b->arena + b->arena_size);
        int len =
            snprintf(dst, MAX_RECORD_BYTES + 1, "1.1:%llu", (unsigned long long)(inst->next + i));
        mafio_record *r = &b->records[b->count++];
        r->offset = b->arena_size;
        r->len = (uint32_t)len;
        r->flags = 0;
        r->ts_ns = 0;
        b->arena_size += (uint64_t)len;
    }
    next = inst->next + n;
    for (i = 0; i < 8; ++i)
        checkpoint[i] = (uint8_t)(next >> (8 * i));
    b->stream = STREAM;
    host->batch_set_checkpoint(inst->ctx, b, checkpoint, sizeof checkpoint);
    host->counter_add(inst->ctx, inst->emitted, n);
    inst->next = next;
    st = host->emit(inst->ctx, b); /* takes the batch, even on error */
    if (st == MAFIO_ERR_STOPPED) return MAFIO_OK;
    if (st != MAFIO_OK) host->set_error(inst->ctx, "emit refused the batch");
    return st;
}

static const mafio_input_vtable frozen_vtable = {
    {frozen_create, frozen_start, NULL, NULL, frozen_destroy},
    frozen_poll,
};

static const mafio_plugin_desc frozen_desc = {
    MAFIO_PLUGIN_MAGIC,
    (uint32_t)sizeof(mafio_plugin_desc),
    MAFIO_ABI_MAJOR,
    MAFIO_ABI_MINOR,
    MAFIO_KIND_INPUT,
    0,
    "frozen_1_1",
    "V1",
    "1.1.0",
    "Built against the frozen ABI 1.1 header: emits \"1.1:<n>\" for n = 1..count, with checkpoints",
    NULL,
    &frozen_vtable,
};

MAFIO_PLUGIN_EXPORT const mafio_plugin_desc *mafio_plugin_entry_v1(uint32_t host_abi_major,
                                                                   uint32_t host_abi_minor) {
    (void)host_abi_minor; /* the host checks the minor; create() copes with a 1.0 host's args */
    return host_abi_major == MAFIO_ABI_MAJOR ? &frozen_desc : NULL;
}
