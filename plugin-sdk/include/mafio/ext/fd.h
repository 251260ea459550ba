/*
 * mafio host extension "mafio.fd.v1" (ABI 1.2): an input asks to be polled when a file
 * descriptor is readable instead of after a fixed short pause. Look it up with
 *     const mafio_fd_ext *f = host->get_extension(ctx, MAFIO_EXT_FD);
 * NULL from a host that does not offer it (any 1.0 or 1.1 host): then the input is polled again
 * after a short pause as before. Watching a descriptor makes the input "scheduled"
 * (mafio_input_vtable.poll in mafio/abi/vtables.h says what that changes). The table is
 * host-owned (mafio_host.get_extension says how long it lives).
 */
#ifndef MAFIO_EXT_FD_H
#define MAFIO_EXT_FD_H

#include "../abi/host.h"
#include "../abi/status.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MAFIO_EXT_FD "mafio.fd.v1"
/* The most descriptors one instance may watch. */
#define MAFIO_FD_WATCH_LIMIT 16u

typedef struct mafio_fd_ext {
    uint32_t struct_size; /* sizeof(mafio_fd_ext) as the host was built */
    uint32_t reserved0;
    /* Poll this input when `fd` is readable (or has an error or hang-up). The plugin keeps
     * owning the descriptor; it must unwatch it before closing it. Returns MAFIO_OK, or
     * MAFIO_ERR_INVALID for a negative fd or more than MAFIO_FD_WATCH_LIMIT. [instance] from
     * poll(), or [main] from start(). */
    mafio_status (*watch)(mafio_host_ctx *ctx, int fd);
    /* Stop watching `fd`; unknown descriptors are ignored. [instance] from poll(), or [main]
     * from start() or stop(). */
    void (*unwatch)(mafio_host_ctx *ctx, int fd);
} mafio_fd_ext;

#ifdef __cplusplus
}
#endif

#endif /* MAFIO_EXT_FD_H */
