/*
 * mafio plugin ABI — the stable C contract between the mafio host and its plugins.
 *
 * This is the umbrella header: including it gives the whole ABI. It is C99 with no C++ types, so
 * that a plugin can be written in any language that speaks the C calling convention. The ABI is
 * append-only: a struct only grows at its end, a new member comes with a new minor version, and
 * each side reads the other's structs only up to the `struct_size` the other side wrote.
 *
 * One concept per header; read them in this order:
 *
 *   mafio/abi/conventions.h  the words every other header uses: the thread tags [main],
 *                            [instance] and [any]; who owns memory and until when; how structs
 *                            grow (MAFIO_STRUCT_HAS); errors and exceptions
 *   mafio/abi/version.h      MAFIO_ABI_MAJOR / _MINOR, the magic, the entry symbol, and what each
 *                            minor appended
 *   mafio/abi/status.h       mafio_status and its codes
 *   mafio/abi/kind.h         input, filter, output
 *   mafio/abi/log.h          log levels
 *   mafio/abi/batch.h        records and batches, and who owns a batch when
 *   mafio/abi/checkpoint.h   checkpoints: acknowledgement, durability, formats
 *   mafio/abi/metric.h       metric ids and kinds, the per-instance limit
 *   mafio/abi/host.h         mafio_host: the services the host offers an instance
 *   mafio/abi/lifecycle.h    create -> start -> data callbacks -> flush -> stop -> destroy
 *   mafio/abi/vtables.h      each kind's data callback: poll, process, write
 *   mafio/abi/descriptor.h   how a plugin is loaded, the entry function and its descriptor
 *   mafio/ext/timer.h        host extension "mafio.timer.v1": poll me at a monotonic time
 *   mafio/ext/fd.h           host extension "mafio.fd.v1": poll me when this fd is readable
 *   mafio/ext/batch_tag.h    host extension "mafio.batch_tag.v1": the tag a batch carries
 *   mafio/ext/hold.h         host extension "mafio.hold.v1": a filter keeps records for later
 *   mafio/ext/retag.h        host extension "mafio.retag.v1": a filter sends a record elsewhere
 *
 * Each header can be included alone. C++ plugins use mafio/plugin.hpp on top of this one.
 */
#ifndef MAFIO_PLUGIN_H
#define MAFIO_PLUGIN_H

#include "abi/batch.h"
#include "abi/checkpoint.h"
#include "abi/conventions.h"
#include "abi/descriptor.h"
#include "abi/host.h"
#include "abi/kind.h"
#include "abi/lifecycle.h"
#include "abi/log.h"
#include "abi/metric.h"
#include "abi/status.h"
#include "abi/version.h"
#include "abi/vtables.h"
#include "ext/batch_tag.h"
#include "ext/fd.h"
#include "ext/hold.h"
#include "ext/retag.h"
#include "ext/timer.h"

#endif /* MAFIO_PLUGIN_H */
