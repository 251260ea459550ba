/*
 * mafio plugin ABI: log levels for host->log (mafio/abi/host.h). The agent's -log-level decides
 * which levels are written; a filtered-out line costs the plugin one call and nothing more.
 */
#ifndef MAFIO_ABI_LOG_H
#define MAFIO_ABI_LOG_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mafio_log_level {
    MAFIO_LOG_DEBUG = 0,
    MAFIO_LOG_INFO = 1,
    MAFIO_LOG_WARN = 2,
    MAFIO_LOG_ERROR = 3 /* host->log writes any value outside 0..3 as an error */
} mafio_log_level;

#ifdef __cplusplus
}
#endif

#endif /* MAFIO_ABI_LOG_H */
