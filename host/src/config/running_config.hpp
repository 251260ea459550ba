// The configuration in force, as a file: <data_dir>/running-config.json, written at start and
// after every applied reload (temp file, fsync, rename; mode 0600, since plugin options may
// hold secrets). `mafio -check -diff` reads it to say what a reload of a new configuration
// would change, without asking the running agent anything.
#pragma once

#include "config/agent_config.hpp"

#include <optional>
#include <string>

namespace mafio {

std::string running_config_path(const std::string &data_dir);

// What a diff needs (config/topology_diff.hpp): every component and the agent-wide settings.
std::string running_config_json(const AgentConfig &cfg);
// "" or why the file could not be written.
std::string store_running_config(const AgentConfig &cfg);
// nullopt with `error` set when the file is missing or not one this version wrote.
std::optional<AgentConfig> read_running_config(const std::string &data_dir, std::string &error);

} // namespace mafio
