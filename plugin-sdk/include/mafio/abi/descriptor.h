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
 * `struct_size` is at least MAFIO_PLUGIN_DESC_SIZE_1_0, kind/name/tag match the file name and the
 * request, and the callbacks required for the kind are present. A plugin built for a NEWER minor
 * than the host's loads too: the host reads its structs only up to what the host knows, and the
 * plugin (the C++ SDK does this) reads the host's structs only up to their struct_size, so it
 * must not rely on anything the older host lacks. Plugins are built with hidden visibility and
 * export nothing but the entry function (MAFIO_PLUGIN_EXPORT). The entry function is [main] and may
 * be called more than once; it returns the same descriptor each time.
 */
#ifndef MAFIO_ABI_DESCRIPTOR_H
#define MAFIO_ABI_DESCRIPTOR_H

#include "conventions.h"
#include "kind.h"
#include "version.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

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
    const char *options_schema; /* JSON Schema of the options object, or NULL. A property with
                                   "secret": true (or "writeOnly": true) is never shown by the
                                   read-only API, nor is one whose name says password, token,
                                   secret, key or credential. */
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

#ifdef __cplusplus
}
#endif

#endif /* MAFIO_ABI_DESCRIPTOR_H */
