// What /metrics and InfluxDB export, as metric families built from one AgentSnapshot. The names
// are the contract with dashboards; they are listed in the README ("Monitoring").
//
// Per instance (labels plugin="stdin:V1", kind="input", instance="inputs[0]"):
//   mafio_records_in_total, mafio_records_out_total, mafio_records_dropped_total,
//   mafio_records_failed_total, mafio_bytes_in_total, mafio_batches_total, mafio_errors_total,
//   mafio_retries_total, mafio_instance_failing_seconds (gauge, 0 while healthy).
// Plugin-registered metrics keep the plugin's own name, prefixed: a counter "dropped_empty"
// becomes mafio_plugin_dropped_empty_total, a gauge "lag" mafio_plugin_lag, with the same
// instance labels. A name is one family whichever plugin registered it, so two plugins that
// both count "dropped_empty" are compared directly.
// Channels (labels channel="read" | channel="write", instance=<output>, plugin=<output>):
//   mafio_channel_records, mafio_channel_capacity_records, mafio_channel_bytes,
//   mafio_channel_capacity_bytes.
// Process: mafio_process_cpu_seconds_total, mafio_process_resident_memory_bytes,
//   mafio_process_peak_resident_memory_bytes, mafio_process_open_fds, mafio_process_threads,
//   mafio_process_start_time_seconds, mafio_uptime_seconds, mafio_build_info.
// Plus the snapshot's own counters (HTTP server, InfluxDB pusher) as they are named there.
#pragma once

#include "metrics/agent_snapshot.hpp"
#include "metrics/metric_family.hpp"

#include <string>
#include <vector>

namespace mafio {

std::vector<MetricFamily> snapshot_families(const AgentSnapshot &snap);

// A plugin's metric name made safe for Prometheus and InfluxDB: [a-zA-Z0-9_], never empty, never
// starting with a digit.
std::string sanitized_metric_name(const std::string &name);

} // namespace mafio
