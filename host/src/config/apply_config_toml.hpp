// The original agent's TOML config, read onto the same AgentConfig the JSON config fills:
//
//     agent_id = "sky01"                  -> agent.id
//     agent_group = "net01"               -> agent.group
//     http_address = "0.0.0.0:10630"      -> http.address
//     max_write_channel_size = 4096       -> channels.write_size
//     max_write_bulk_size = 500           -> channels.write_bulk_size
//     input = "filereader:V1"             -> inputs   (a name, "a,b", or a list of names)
//     filter = "valid"                    -> filters  ("" for none)
//     output = "logr"                     -> outputs
//     plugins_config_paths = ["logr.json"] -> each plugin's options (plugin_option_files.hpp),
//                                             paths relative to the TOML file's directory
//     send_interval = ...                 -> no meaning in mafio: a warning, otherwise ignored
//
// Every other key is an error naming FILE:LINE:COL. String values take ${NAME} substitution as
// in JSON.
#pragma once

#include "config/agent_config.hpp"
#include "config/plugin_option_files.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace mafio {

// Applies the TOML document `text` (read from `source`) on top of `cfg`, leaving it untouched
// on error. Returns the plugin option files, which flags that swap a plugin consult too.
// Throws ConfigError.
std::vector<PluginOptionFile> apply_config_toml(AgentConfig &cfg, std::string_view text,
                                                const std::string &source);

} // namespace mafio
