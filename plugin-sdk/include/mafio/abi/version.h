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
#ifndef MAFIO_ABI_VERSION_H
#define MAFIO_ABI_VERSION_H

/* A change of major breaks plugins; the host refuses a plugin of another major. */
#define MAFIO_ABI_MAJOR 1
/* Minor versions only append; a plugin built for minor N loads into any host of the same major.
 * On a host of an older minor it must use only what that host has (check struct_size and
 * get_extension results, as plugin.hpp does). */
#define MAFIO_ABI_MINOR 2

/* "MAFO" read as a big-endian 32-bit number. Catches a descriptor that is not ours at all. */
#define MAFIO_PLUGIN_MAGIC 0x4D41464Fu

/* The one exported symbol, as a string for dlsym (see mafio/abi/descriptor.h). */
#define MAFIO_PLUGIN_ENTRY_SYMBOL "mafio_plugin_entry_v1"

#endif /* MAFIO_ABI_VERSION_H */
