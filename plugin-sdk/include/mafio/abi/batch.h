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
#ifndef MAFIO_ABI_BATCH_H
#define MAFIO_ABI_BATCH_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

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

#ifdef __cplusplus
}
#endif

#endif /* MAFIO_ABI_BATCH_H */
