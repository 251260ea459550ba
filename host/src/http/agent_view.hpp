// What the endpoints may look at: the configuration, the running pipeline (read only, through
// snapshots) and the plugins directory as it was at start. Built on the main thread before the
// server starts; afterwards only read, from the worker threads.
#pragma once

#include "config/agent_config.hpp"
#include "metrics/agent_snapshot.hpp"
#include "pipeline/pipeline.hpp"
#include "plugin/registry.hpp"

#include <functional>
#include <string>
#include <vector>

namespace mafio {

// One file of the plugins directory, as -list-plugins shows it.
struct PluginFileInfo {
    std::string name, tag, path;
    std::string kind, version, description, abi; // empty when refused
    std::string refused;                         // why it cannot be loaded, or ""
};

std::vector<PluginFileInfo> scan_plugin_files(const Registry &registry);

struct AgentView {
    const AgentConfig &cfg;
    const Pipeline &pipeline;
    std::vector<PluginFileInfo> available;
    std::vector<std::string> plugin_dirs;
    // Counters of the monitoring side itself (HTTP, InfluxDB), added to every snapshot.
    std::function<std::vector<OwnCounter>()> own_counters;

    AgentSnapshot snapshot() const;
};

} // namespace mafio
