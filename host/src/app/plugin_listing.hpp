// -list-plugins and -describe: what an operator sees of the plugins directory.
#pragma once

#include "plugin/registry.hpp"

#include <string>

namespace mafio {

// One block per plugin file: name:tag, kind, version, description, path (or why it is refused).
std::string list_plugins(const Registry &registry);

// The description and options schema of one plugin. Throws PluginError.
std::string describe_plugin(const Registry &registry, const std::string &ref_text);

} // namespace mafio
