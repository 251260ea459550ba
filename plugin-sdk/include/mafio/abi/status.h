/*
 * mafio plugin ABI: status codes, what callbacks and host services return.
 *
 * Zero and positive codes are normal outcomes; negative codes are permanent failures. A callback
 * that returns a failure describes it first with host->set_error() (mafio/abi/host.h); the host
 * prefixes the message with where the component was configured (for example `outputs[1]: `).
 * Which codes a callback may return, and what the host does with each, is said at the callback.
 */
#ifndef MAFIO_ABI_STATUS_H
#define MAFIO_ABI_STATUS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef int32_t mafio_status;

#define MAFIO_OK 0
/* Transient: "not now, try the same call again later". Outputs: the host retries the records not
 * done with exponential backoff. Inputs: no data right now; mafio_input_vtable.poll says when the
 * host polls again. */
#define MAFIO_RETRY 1
/* Input only: the source is exhausted for good (stdin at EOF, a one-shot file read). The host
 * delivers what was emitted and stops this input. */
#define MAFIO_EOF 2
/* Permanent failures. */
#define MAFIO_ERR_INVALID (-1)  /* bad options or bad data; retrying the same thing cannot help */
#define MAFIO_ERR_IO (-2)       /* the destination or source failed for good */
#define MAFIO_ERR_INTERNAL (-3) /* a bug, or an exception caught at the boundary */
#define MAFIO_ERR_STOPPED (-4)  /* a host service refused because the agent is stopping */
/* Output only: the destination closed for good in the normal course of things (stdout piped
 * into `head`). The host stops the agent gracefully and exits 0. */
#define MAFIO_ERR_CLOSED (-5)

#ifdef __cplusplus
}
#endif

#endif /* MAFIO_ABI_STATUS_H */
