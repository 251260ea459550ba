/*
 * mafio host extension "mafio.retag.v1": a filter sends single records on under another tag,
 * so that they take another route (parser:V1's on_error {"tag": ...}: records that do not parse
 * go to outputs of their own). Look it up with
 *     const mafio_retag_ext *r = host->get_extension(ctx, MAFIO_EXT_RETAG);
 * Offered to filters only; NULL from a host that does not offer it (hosts before mafio 0.4).
 * The table is host-owned (mafio_host.get_extension says how long it lives).
 *
 * The contract:
 *   - In process(), retag(batch, index, tag) takes record `index` of `batch` as it is at that
 *     moment (the host copies its bytes, flags and time during the call; `tag` is read during the
 *     call too). The filter then removes the record from the batch itself, as when it drops one:
 *     a record retagged and left in the batch goes both ways.
 *   - The record goes on carrying `tag`: through the filters after this one (in configuration
 *     order) whose `match` takes `tag`, then to the outputs whose `match` takes it. Nothing takes
 *     it: it is acknowledged and counted as unrouted, as any batch would be.
 *   - Delivery: the batch it came from is acknowledged only once the retagged records are
 *     delivered too, so a crash reads them again, as it would the others.
 * [instance]: from inside process(), with the batch process() got. Once per record retagged:
 * meant for the exceptions (errors), not for most records.
 */
#ifndef MAFIO_EXT_RETAG_H
#define MAFIO_EXT_RETAG_H

#include "../abi/batch.h"
#include "../abi/host.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MAFIO_EXT_RETAG "mafio.retag.v1"

typedef struct mafio_retag_ext {
    uint32_t struct_size; /* sizeof(mafio_retag_ext) as the host was built */
    uint32_t reserved0;
    /* Record `index` of `batch` goes on under `tag` (`tag_len` bytes, need not end in NUL). */
    void (*retag)(mafio_host_ctx *ctx, const mafio_batch *batch, uint32_t index, const char *tag,
                  size_t tag_len);
} mafio_retag_ext;

#ifdef __cplusplus
}
#endif

#endif /* MAFIO_EXT_RETAG_H */
