// What the endpoints may look at: the configuration, the running pipeline (read only, through
// snapshots) and the plugins directory as last inspected (in child processes). Built on the main
// thread before the server starts; afterwards only read, from the worker threads.
#pragma once

#include "config/agent_config.hpp"
#include "control/reload.hpp"
#include "control/swap.hpp"
#include "metrics/agent_snapshot.hpp"
#include "pipeline/pipeline.hpp"
#include "plugin/probe_cache.hpp"
#include "plugin/registry.hpp"

#include <functional>
#include <string>
#include <vector>

namespace mafio {

struct AgentView {
    const AgentConfig &cfg;
    const Pipeline &pipeline;
    // The plugins directory, from a cache (plugin/probe_cache.hpp): bounded wait, any thread.
    std::function<PluginDirListing()> available;
    std::vector<std::string> plugin_dirs;
    // Counters of the monitoring side itself (HTTP, InfluxDB), added to every snapshot.
    std::function<std::vector<OwnCounter>()> own_counters;
    // Live swap of a component's plugin (control/swap.hpp); empty: not offered.
    std::function<SwapResult(const SwapRequest &)> swap;
    // Reload (control/reload.hpp) and the configuration revision in force with the Unix time
    // it was applied; empty: not offered.
    std::function<ReloadResult()> reload;
    std::function<std::pair<std::string, double>()> revision;
    // Why the last reload was refused, "" when it succeeded (or none was tried).
    std::function<std::string()> last_reload_error;
    // etcd discovery (discovery/discovery.hpp), empty when off: its state as a JSON object for
    // /pipeline, and why /health is degraded by it ("" while etcd answers).
    std::function<std::string()> discovery_state;
    std::function<std::string()> discovery_trouble;

    AgentSnapshot snapshot() const;
};

} // namespace mafio
