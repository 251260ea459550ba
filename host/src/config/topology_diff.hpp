// What a new configuration changes, component by component (by id): the basis of reload. Pure,
// so that a reload can be planned, refused or explained before anything is touched.
#pragma once

#include "config/agent_config.hpp"

#include <string>
#include <vector>

namespace mafio {

struct ComponentChange {
    std::string id;
    std::string kind;  // input | filter | output
    std::string where; // its path in the new config (or the old one, when removed)
    // What differs: "plugin", "options", "tag", "match", "retry"; empty for added/removed.
    std::vector<std::string> what;
};

struct TopologyDiff {
    std::vector<ComponentChange> added, removed, changed;
    // Agent-wide settings that differ (http.address, channels, ...): they take effect only at
    // the next start.
    std::vector<std::string> settings;
    bool empty() const {
        return added.empty() && removed.empty() && changed.empty() && settings.empty();
    }
};

// Both configs have their ids assigned (assign_component_ids).
TopologyDiff diff_topology(const AgentConfig &running, const AgentConfig &next);

// A short hash of everything a diff compares: the revision /pipeline shows.
std::string config_revision(const AgentConfig &cfg);

} // namespace mafio
