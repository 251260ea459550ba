// The original agent's per-plugin option files: JSON documents listed by the TOML config's
// plugins_config_paths, each naming the plugin its options are for with "@pluginName":
//
//     {"@pluginName": "filereader:V1", "path": "/var/log/app.log"}
//
// Every configured plugin takes its options from the file for it, so a flag that swaps a plugin
// (-input=filereader:V1) picks up that plugin's own file, as in the original.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mafio {

struct PluginOptionFile {
    std::string plugin;       // "@pluginName" as written
    std::string options_json; // every other key, as a JSON object
    std::string path;         // the file, for messages
};

// Reads and parses one file (parse_json: comments, ${NAME}, file:line:col). Throws ConfigError
// naming `path` when it is unreadable, malformed, not an object, or lacks "@pluginName".
PluginOptionFile read_plugin_option_file(const std::string &path);

// Throws ConfigError when `added` names the same plugin as a file already in `files`.
void add_plugin_option_file(std::vector<PluginOptionFile> &files, PluginOptionFile added);

// The file for `plugin`: the one naming exactly it (the alias "file" reads as "filereader"),
// else the only one naming the same plugin under another tag or none; nullptr when there is
// none. Several candidates and no exact match is an error: `where` (the key or flag naming the
// plugin) starts the message.
const PluginOptionFile *find_plugin_options(const std::vector<PluginOptionFile> &files,
                                            std::string_view plugin, const std::string &where);

} // namespace mafio
