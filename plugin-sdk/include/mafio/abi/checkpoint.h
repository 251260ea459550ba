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
#ifndef MAFIO_ABI_CHECKPOINT_H
#define MAFIO_ABI_CHECKPOINT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

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

#ifdef __cplusplus
}
#endif

#endif /* MAFIO_ABI_CHECKPOINT_H */
