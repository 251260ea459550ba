// Plugin lists from flags (-input=a,b) and the rule that lets a flag swap a plugin's version
// without losing its configured options.
#pragma once

#include "config/agent_config.hpp"
#include "config/plugin_option_files.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace mafio {

// The part before ':', with the original agent's alias "file" read as "filereader".
std::string plugin_base_name(std::string_view plugin);

// Builds the list a flag such as -input=filereader:V1,stdin asks for. `flag` ("-input") names it
// in errors; an empty value gives an empty list, refused unless `allow_empty`.
//
// Entry i is configured[i] with only the plugin replaced when both have the same base name, so
// `-input=filereader:V1` falls back from a configured filereader:V2 keeping its `path`, and
// `-output=logr` keeps a configured logr's retry pace: a flag overrides exactly what it names.
// Otherwise the entry starts with no options ("{}") and `where` is "-input[i]".
// When the original's TOML config listed plugin option files, a plugin that has one takes its
// options from it (find_plugin_options), as the original did.
// Throws ConfigError.
std::vector<PluginSpec> plugins_from_flag(const std::string &flag, std::string_view value,
                                          const std::vector<PluginSpec> &configured,
                                          bool allow_empty,
                                          const std::vector<PluginOptionFile> &option_files = {});

// `options_json` (a JSON object) with `key` set to the string `value`, replacing any old value.
std::string with_string_option(const std::string &options_json, const char *key,
                               const std::string &value);

} // namespace mafio
