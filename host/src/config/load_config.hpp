// Builds the AgentConfig: defaults < config file (-config) < JSON string (-f) < explicit flags.
#pragma once

#include "config/agent_config.hpp"
#include "options/command_line.hpp"

#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace mafio {

// A configuration error. The message says where (file:line:col, JSON path or flag), what was
// wrong and what would be accepted.
struct ConfigError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Applies one JSON document on top of `cfg`. `source` names it in messages ("/etc/mafio.json",
// "-f"). Throws ConfigError.
void apply_config_json(AgentConfig &cfg, std::string_view text, const std::string &source);

// The whole merge. Reads the -config file. Throws ConfigError.
AgentConfig load_config(const CommandLine &cl);
// The same with `overlay` applied after the flags, before ids are given: central configuration
// from etcd (discovery/central_config.hpp) comes in here. Empty: none.
using ConfigOverlay = std::function<void(AgentConfig &)>;
AgentConfig load_config(const CommandLine &cl, const ConfigOverlay &overlay);

// /var/lib/mafio/<agent-id> as root, else $XDG_STATE_HOME/mafio/<agent-id> or
// ~/.local/state/mafio/<agent-id>.
std::string default_data_dir(const std::string &agent_id);

} // namespace mafio
