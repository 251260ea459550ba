// A point-in-time copy of everything the monitoring side reports about the agent, taken from
// atomics and queue depths (take_snapshot.hpp). Rendering works on this copy only, so nothing
// that writes to a socket ever holds a pipeline lock.
#pragma once

#include "metrics/metric_set.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mafio {

// A scheduled input's runs (README "Scheduling"). Times are RFC 3339 in the schedule's zone,
// "" when there was none yet.
struct ScheduleSnapshot {
    std::string expression, timezone, overlap, catch_up;
    bool running = false;
    uint64_t runs = 0, skipped_ticks = 0, missed_ticks = 0, failed_runs = 0;
    std::string last_run_start, last_run_end, last_result, next_fire;
    int64_t next_fire_ns = 0;
};

struct InstanceSnapshot {
    std::string kind;               // input | filter | output
    std::string plugin;             // name:tag
    std::string instance;           // configuration path, e.g. inputs[0]
    std::string id;                 // the component id: what metrics, logs and API paths key on
    std::string options_json;       // the running instance's options, secrets redacted
    std::string tag;                // inputs: the tag their batches carry
    std::vector<std::string> match; // filters and outputs: the tag globs they take
    bool paused = false;
    uint64_t records_in = 0, records_out = 0, records_dropped = 0, records_failed = 0;
    uint64_t records_unrouted = 0; // inputs: records no output matched (acknowledged, counted)
    bool checkpoint_store_failing = false; // inputs: the last store of checkpoints failed
    uint64_t bytes_in = 0, batches = 0, errors = 0, retries = 0;
    int thread_id = 0;
    int64_t failing_since_ns = 0;
    bool stopped_on_error = false;
    // Inputs only: batches emitted but not yet finished by every output, i.e. how far the
    // input's committed checkpoint trails what it has read. -1 for filters and outputs.
    int64_t unfinished_batches = -1;
    std::vector<MetricSet::Sample> plugin_metrics; // what the plugin registered itself
    std::optional<ScheduleSnapshot> schedule;      // inputs with a "schedule"
};

// The bounded queue in front of an output (inputs and their filters push, the output pops).
struct ChannelSnapshot {
    std::string name;      // "write"
    std::string instance;  // the output's configuration path
    std::string component; // the output's id
    std::string plugin;    // that output's name:tag
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
    // Counters of one name with different labels are series of one family.
    std::vector<std::pair<std::string, std::string>> labels{};
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
