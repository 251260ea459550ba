/*
 * mafio host extension "mafio.batch_tag.v1": the tag a batch carries. Every batch is emitted by
 * one input and carries that input's tag (its "tag" in the config, by default its id); routes
 * are chosen by it. A filter or an output that writes the tag into its records (a JSON "tag"
 * field, an AMQP routing key, a ${tag} template) reads it here. Look it up with
 *     const mafio_batch_tag_ext *t = host->get_extension(ctx, MAFIO_EXT_BATCH_TAG);
 * NULL from a host that does not offer it (hosts before mafio 0.4): then the tag is unknown and
 * the plugin falls back to something it documents. Offered to every kind of component. The
 * table is host-owned (mafio_host.get_extension says how long it lives).
 */
#ifndef MAFIO_EXT_BATCH_TAG_H
#define MAFIO_EXT_BATCH_TAG_H

#include "../abi/batch.h"
#include "../abi/host.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MAFIO_EXT_BATCH_TAG "mafio.batch_tag.v1"

typedef struct mafio_batch_tag_ext {
    uint32_t struct_size; /* sizeof(mafio_batch_tag_ext) as the host was built */
    uint32_t reserved0;
    /* The tag of `batch`: `*len` bytes at the returned pointer, not NUL-terminated. Host-owned,
     * valid at least as long as the batch is (a reload that changes the input's tag gives later
     * batches the new one; batches already emitted keep theirs). Before the input emitted the
     * batch (an input asking about its own batch) it is the input's current tag. Never NULL: a
     * batch the host cannot place has the empty tag. Cheap (no lock, no allocation): meant for
     * once per batch. [any] thread that may read the batch. */
    const char *(*tag)(mafio_host_ctx *ctx, const mafio_batch *batch, size_t *len);
} mafio_batch_tag_ext;

#ifdef __cplusplus
}
#endif

#endif /* MAFIO_EXT_BATCH_TAG_H */
