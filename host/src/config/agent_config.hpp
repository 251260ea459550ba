// The agent's whole configuration after defaults, config file, -f and flags are merged.
// Produced by config/load_config.hpp, consumed by main and the pipeline builder.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mafio {

// One input, filter or output as configured.
struct PluginSpec {
    std::string plugin;       // as written: "file", "filereader", "filereader:V1"
    std::string options_json; // every key of the object except "plugin", as a JSON object
    std::string where;        // JSON path for messages, e.g. "outputs[1]"
};

struct AgentConfig {
    std::string agent_id = "sky01";
    std::string agent_group = "net01";
    std::string plugins_dir;              // empty: search MAFIO_PLUGINS_DIR, then near the binary
    std::string data_dir;                 // empty: derived (see default_data_dir)
    std::string log_level = "info";       // debug | info | warn | error
    std::string http_address = "0.0.0.0:10630"; // "off" or "" disables
    std::string etcd_endpoint = "0.0.0.0:2379";
    std::string influxdb_addr;            // empty: disabled
    uint32_t read_channel_size = 4096;    // records in flight between inputs and filters
    uint32_t write_channel_size = 4096;   // records in flight between filters and each output
    uint32_t write_bulk_size = 500;       // records per output write() call at most
    double shutdown_grace_s = 5.0;
    std::vector<PluginSpec> inputs;
    std::vector<PluginSpec> filters;
    std::vector<PluginSpec> outputs;
};

} // namespace mafio
