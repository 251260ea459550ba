// The agent's whole configuration after defaults, config file, -f and flags are merged.
// Produced by config/load_config.hpp, consumed by main and the pipeline builder.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mafio {

// An input's schedule (README "Scheduling"): host keys, never handed to the plugin. An empty
// expression: the input runs continuously, as usual.
struct InputScheduleSpec {
    std::string expression; // "schedule"
    std::string timezone;   // IANA name; "": the agent's local time
    std::string overlap = "skip";
    std::string catch_up = "none";
    bool operator==(const InputScheduleSpec &) const = default;
};

// One input, filter or output as configured.
struct PluginSpec {
    std::string plugin;       // as written: "file", "filereader", "filereader:V1"
    std::string options_json; // every key of the object except "plugin", as a JSON object
    std::string where;        // JSON path for messages, e.g. "outputs[1]"
    // The component's stable id (config/topology.hpp): set by the config, or derived there.
    std::string id{};
    bool id_explicit = false;
    // Inputs: the tag their batches carry ("" = the id). Filters and outputs: the tags they
    // take, as globs ("" list = every tag).
    std::string tag{};
    std::vector<std::string> match{};
    // Outputs only: backoff after MAFIO_RETRY, doubling from retry_initial up to retry_max.
    // Retries go on forever (with backpressure upstream); only the pace is configured.
    double retry_initial_s = 0.1;
    double retry_max_s = 30.0;
    // Inputs only.
    InputScheduleSpec schedule{};
};

struct AgentConfig {
    std::string agent_id = "sky01";
    std::string agent_group = "net01";
    std::string plugins_dir;        // empty: search MAFIO_PLUGINS_DIR, then near the binary
    std::string data_dir;           // empty: derived (see default_data_dir)
    std::string log_level = "info"; // debug | info | warn | error
    std::string http_address = "0.0.0.0:10630"; // "off" or "" disables
    std::string http_admin_token_file;          // token for mutating endpoints; "": loopback only
    // etcd (host/src/discovery/): comma-separated host:port or http(s)://host:port. Discovery is
    // on only when -etcd-endpoint or etcd.endpoint(s) was given: the default alone means off.
    std::string etcd_endpoint = "0.0.0.0:2379";
    bool etcd_enabled = false;
    std::string etcd_prefix = "/mafio"; // keys: <prefix>/agents|config|status/<group>[/<id>]
    double etcd_lease_ttl_s = 10.0;     // registration lease, kept alive every ttl/3
    std::string etcd_username, etcd_password_file;           // token auth when both are set
    std::string etcd_ca_file, etcd_cert_file, etcd_key_file; // TLS (https:// endpoints)
    bool etcd_allow_exec = false;      // central config may name command/exec plugins
    std::string influxdb_addr;         // empty: disabled
    double influxdb_interval_s = 10.0; // between two pushes to InfluxDB (1s to 24h)
    // /health answers 503 once an output has been failing (retrying or erring) this long (0 to
    // 24h).
    double health_output_failing_after_s = 60.0;
    uint32_t read_channel_size = 4096;  // records in flight between inputs and filters
    uint32_t write_channel_size = 4096; // records in flight between filters and each output
    uint32_t write_bulk_size = 500;     // records per output write() call at most
    double shutdown_grace_s = 5.0;
    double checkpoint_interval_s = 1.0; // how often committed checkpoints are stored at most
    std::vector<PluginSpec> inputs;
    std::vector<PluginSpec> filters;
    std::vector<PluginSpec> outputs;
};

} // namespace mafio
