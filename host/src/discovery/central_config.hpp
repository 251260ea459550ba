// Central configuration: config documents an operator publishes in etcd, for a whole group
// (<prefix>/config/<group>) and for one agent (<prefix>/config/<group>/<id>). Each is a
// document in the JSON of -config, read over the local configuration like -f is: local file <
// group < agent, each key a layer sets replacing the lower layer's (an object's keys one by one,
// a list of inputs, filters or outputs as a whole).
//
// A central document may set only what the data path is (central_keys: inputs, filters,
// outputs, channels, health, shutdown_grace, checkpoint_interval, log_level), never where the
// agent lives or who controls it (agent, plugins_dir, data_dir, http, etcd, influxdb). And the
// local configuration has the last word on running commands: a component whose plugin is
// `command` or `exec` is refused unless the local configuration sets etcd.allow_exec.
#pragma once

#include "config/agent_config.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mafio {

// The top-level keys a central document may set.
const std::vector<std::string> &central_keys();

struct CentralConfig {
    std::optional<std::string> group, agent; // the documents; nullopt: no such key
    int64_t revision = 0;                    // the etcd revision they were read at (0: none read)

    bool same_documents(const CentralConfig &o) const {
        return group == o.group && agent == o.agent;
    }
    bool empty() const { return !group && !agent; }
};

// Refuses what a central document may not do (a key outside central_keys, a command/exec
// plugin without allow_exec). `source` names the document in the message. Throws ConfigError.
void check_central_policy(const std::string &text, const std::string &source, bool allow_exec);

// Applies group, then agent, over `local` (checking each against the policy). The sources name
// the documents in messages ("etcd /mafio/config/net01"). Throws ConfigError naming the
// source, JSON path and what would be accepted.
void apply_central(AgentConfig &local, const CentralConfig &central,
                   const std::string &group_source, const std::string &agent_source);

// The cache in the data dir (<data_dir>/etcd/central-config.json): what was last applied, for a
// start while etcd cannot be reached. load: nullopt when there is none or it is unreadable
// (`problem` says why, "" when simply absent). store: "" or why it failed.
std::string central_cache_path(const std::string &data_dir);
std::optional<CentralConfig> load_central_cache(const std::string &data_dir, std::string &problem);
std::string store_central_cache(const std::string &data_dir, const CentralConfig &c);

} // namespace mafio
