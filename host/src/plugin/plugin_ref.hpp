// Plugin names: "name" or "name:tag", and the file names they map to ("<name>-<tag>.so").
// Everything here is pure string work; nothing opens a file, so a hostile name (`../x`,
// `/tmp/evil`) is refused before any path is built from it.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace mafio {

struct PluginError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct PluginRef {
    std::string name; // [a-z0-9_]+, aliases already applied
    std::string tag;  // [A-Za-z0-9_.]+, or empty: "the highest tag present"

    std::string str() const { return tag.empty() ? name : name + ":" + tag; }
};

// Longest name or tag accepted; longer text is refused without being echoed in full.
inline constexpr size_t max_plugin_name_length = 64;

bool valid_plugin_name(std::string_view name);
bool valid_plugin_tag(std::string_view tag);

// Parses "name" or "name:tag" and applies aliases. Throws PluginError saying what is accepted.
PluginRef parse_plugin_ref(std::string_view text);

// Short names kept from the original agent: "file" means "filereader".
std::string_view apply_alias(std::string_view name);

// Natural order of tags: V2 < V10, V1 < V1.1; ties broken by plain string order.
bool tag_less(std::string_view a, std::string_view b);

// Splits "<name>-<tag>.so"; false for anything that is not a plugin file name.
bool parse_plugin_file_name(std::string_view file_name, PluginRef &out);

} // namespace mafio
