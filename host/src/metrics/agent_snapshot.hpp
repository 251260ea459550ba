// A point-in-time copy of everything the monitoring side reports about the agent, taken from
// atomics and queue depths (take_snapshot.hpp). Rendering works on this copy only, so nothing
// that writes to a socket ever holds a pipeline lock.
#pragma once

#include "metrics/metric_set.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace mafio {

struct InstanceSnapshot {
    std::string kind;     // input | filter | output
    std::string plugin;   // name:tag
    std::string instance; // configuration path, e.g. inputs[0]
    uint64_t records_in = 0, records_out = 0, records_dropped = 0, records_failed = 0;
    uint64_t bytes_in = 0, batches = 0, errors = 0, retries = 0;
    int thread_id = 0;
    int64_t failing_since_ns = 0;
    bool stopped_on_error = false;
    // Inputs only: batches emitted but not yet finished by every output, i.e. how far the
    // input's committed checkpoint trails what it has read. -1 for filters and outputs.
    int64_t unfinished_batches = -1;
    std::vector<MetricSet::Sample> plugin_metrics; // what the plugin registered itself
};

// A bounded queue between two stages: "read" (inputs -> filters) or "write" (one per output).
struct ChannelSnapshot {
    std::string name;     // read | write
    std::string instance; // the output a write channel feeds, "" for read
    std::string plugin;   // that output's name:tag, "" for read
    uint64_t records = 0, capacity_records = 0, bytes = 0, capacity_bytes = 0;
};

struct ProcessSnapshot {
    double cpu_seconds = 0; // user + system
    uint64_t rss_bytes = 0;
    uint64_t peak_rss_bytes = 0;
    uint64_t open_fds = 0;
    uint64_t threads = 0;
    double start_time_s = 0; // Unix time
    double uptime_s = 0;
};

// Counters of the monitoring side itself (the InfluxDB pusher's dropped points, ...).
struct OwnCounter {
    std::string name; // full Prometheus name, e.g. mafio_influxdb_points_dropped_total
    std::string help;
    uint64_t value = 0;
};

struct AgentSnapshot {
    std::string agent_id, agent_group;
    bool stopping = false;
    std::vector<InstanceSnapshot> instances; // inputs, then filters, then outputs
    std::vector<ChannelSnapshot> channels;
    ProcessSnapshot process;
    std::vector<OwnCounter> own;
};

} // namespace mafio
