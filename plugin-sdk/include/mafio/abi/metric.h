/*
 * mafio plugin ABI: the metrics a plugin instance registers through the host (metric_register,
 * counter_add, gauge_set in mafio/abi/host.h). The host exports them labelled with the component
 * they belong to, on /metrics and to InfluxDB.
 *
 * Convention: a counter named "dropped_<reason>" counts records the plugin dropped for that
 * reason; the host also reports it as mafio_records_dropped_by_reason_total with a
 * reason="<reason>" label, so an operator sees drops across plugins without knowing their names.
 *
 * Convention: a gauge named "warn_<condition>" whose value is > 0 means "this condition holds
 * now" (e.g. filereader:V2's warn_no_match: a path pattern matches no file). The host lists it
 * in GET /health as "warnings": ["<component id>: <condition> (<help text>)", ...] without
 * failing the health check (status stays "ok", 200): a warning says the agent works, but
 * probably not as the operator meant. Set it back to 0 when the condition ends; say so in the
 * log once when it starts and once when it ends, not at every check.
 */
#ifndef MAFIO_ABI_METRIC_H
#define MAFIO_ABI_METRIC_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What metric_register returns, to pass to counter_add / gauge_set. */
typedef uint32_t mafio_metric_id;

/* Metric kinds for metric_register's `kind` (ABI 1.2 names the values 1.0 already used; any
 * other value is reserved). */
#define MAFIO_METRIC_COUNTER 0u /* monotonic, only grows: counter_add */
#define MAFIO_METRIC_GAUGE 1u   /* a value that goes up and down: gauge_set */

/* The most metrics one instance can register. Registering the same name again does not count. */
#define MAFIO_METRIC_LIMIT 64u
/* What metric_register returns when the instance already has MAFIO_METRIC_LIMIT metrics. The
 * host ignores counter_add / gauge_set with it (as with any id it did not return), so a plugin
 * need not check; the metric is simply not exported. */
#define MAFIO_METRIC_INVALID 0xFFFFFFFFu

#ifdef __cplusplus
}
#endif

#endif /* MAFIO_ABI_METRIC_H */
