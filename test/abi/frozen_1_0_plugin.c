/*
 * frozen_1_0:V1 — a filter compiled in plain C99 against the FROZEN ABI 1.0 header only
 * (plugin_1_0.h, not plugin-sdk/include). It stands for a plugin built when ABI 1.0 was current
 * and never rebuilt: test_abi_compat.sh proves the current host still loads and runs it.
 *
 * It touches as much of the 1.0 contract as a small filter can, so that a layout change in
 * any of those structs shows up as wrong output rather than passing silently:
 *   - descriptor and filter vtable (the host reads them),
 *   - mafio_create_args (options_json, host, ctx), mafio_host services log, set_error,
 *     metric_register, counter_add and batch_reserve,
 *   - mafio_batch and mafio_record (it rewrites every record).
 * What it does: prefixes every record with "1.0:", by appending the new bytes to the arena and
 * pointing the record at them. It takes no options; any option is refused through set_error.
 */
#include "plugin_1_0.h"

#include <stdlib.h>
#include <string.h>

#define PREFIX "1.0:"
#define PREFIX_LEN 4u

typedef struct frozen_instance {
    const mafio_host *host;
    mafio_host_ctx *ctx;
    mafio_metric_id prefixed;
} frozen_instance;

/* A host service is there when the host's table is long enough to hold it. */
#define HOST_HAS(host, member)                                                                  \
    (offsetof(mafio_host, member) + sizeof((host)->member) <= (host)->struct_size)

static int only_empty_object(const char *json) {
    const char *p = json;
    int braces = 0;
    for (; *p; ++p) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') continue;
        if ((braces == 0 && *p == '{') || (braces == 1 && *p == '}')) {
            ++braces;
            continue;
        }
        return 0;
    }
    return braces == 2;
}

static mafio_status frozen_create(const mafio_create_args *args, void **out) {
    const mafio_host *host = args->host;
    frozen_instance *inst;
    *out = NULL;
    if (!HOST_HAS(host, batch_reserve)) return MAFIO_ERR_INTERNAL; /* cannot even say why */
    if (!only_empty_object(args->options_json)) {
        host->set_error(args->ctx, "frozen_1_0 takes no options");
        return MAFIO_ERR_INVALID;
    }
    inst = (frozen_instance *)malloc(sizeof *inst);
    if (!inst) {
        host->set_error(args->ctx, "out of memory");
        return MAFIO_ERR_INTERNAL;
    }
    inst->host = host;
    inst->ctx = args->ctx;
    inst->prefixed = host->metric_register(args->ctx, "prefixed", "records prefixed", 0);
    *out = inst;
    return MAFIO_OK;
}

static mafio_status frozen_start(void *instance, const mafio_start_args *args) {
    frozen_instance *inst = (frozen_instance *)instance;
    (void)args;
    inst->host->log(inst->ctx, MAFIO_LOG_INFO, "frozen ABI 1.0 plugin started");
    return MAFIO_OK;
}

static void frozen_destroy(void *instance) { free(instance); }

static mafio_status frozen_process(void *instance, mafio_batch *b) {
    frozen_instance *inst = (frozen_instance *)instance;
    uint64_t need = 0;
    uint32_t i;
    for (i = 0; i < b->count; ++i) need += PREFIX_LEN + b->records[i].len;
    /* May move the arena; records refer to it by offset, so they stay valid. */
    inst->host->batch_reserve(inst->ctx, b, need, 0);
    for (i = 0; i < b->count; ++i) {
        mafio_record *r = &b->records[i];
        uint8_t *dst = b->arena + b->arena_size;
        memcpy(dst, PREFIX, PREFIX_LEN);
        memcpy(dst + PREFIX_LEN, b->arena + r->offset, r->len);
        r->offset = b->arena_size;
        r->len += PREFIX_LEN;
        b->arena_size += r->len;
    }
    inst->host->counter_add(inst->ctx, inst->prefixed, b->count);
    return MAFIO_OK;
}

static const mafio_filter_vtable frozen_vtable = {
    {frozen_create, frozen_start, NULL, NULL, frozen_destroy},
    frozen_process,
};

static const mafio_plugin_desc frozen_desc = {
    MAFIO_PLUGIN_MAGIC,
    (uint32_t)sizeof(mafio_plugin_desc),
    MAFIO_ABI_MAJOR,
    MAFIO_ABI_MINOR,
    MAFIO_KIND_FILTER,
    0,
    "frozen_1_0",
    "V1",
    "1.0.0",
    "Built against the frozen ABI 1.0 header: prefixes every record with \"1.0:\"",
    NULL,
    &frozen_vtable,
};

MAFIO_PLUGIN_EXPORT const mafio_plugin_desc *mafio_plugin_entry_v1(uint32_t host_abi_major,
                                                                   uint32_t host_abi_minor) {
    (void)host_abi_minor; /* any 1.x host can serve a 1.0 plugin */
    return host_abi_major == MAFIO_ABI_MAJOR ? &frozen_desc : NULL;
}
