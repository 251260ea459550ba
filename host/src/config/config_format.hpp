// Which reader a -config file needs: mafio's JSON, or the original agent's TOML.
#pragma once

#include <string>
#include <string_view>

namespace mafio {

enum class ConfigFormat { json, toml };

// By extension: ".json" is JSON, ".toml" is TOML. Anything else (the original's "agent.conf",
// no extension) by content: a document whose first character after whitespace and comments
// is '{' is JSON, an empty one is JSON too (so that it is refused as empty), anything else TOML.
ConfigFormat detect_config_format(const std::string &path, std::string_view text);

} // namespace mafio
