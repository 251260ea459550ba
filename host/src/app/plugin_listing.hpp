// -list-plugins and -describe: what an operator sees of the plugins directory. Both inspect the
// files in child processes (plugin/plugin_probe.hpp): a plugin that crashes or hangs while
// loading is reported, and this process never runs a plugin's code.
#pragma once

#include "plugin/registry.hpp"

#include <string>

namespace mafio {

// One block per plugin file: name:tag, kind, version, ABI, description, path (or why it is
// refused: what load_plugin said, or "crashed while loading: signal 11 (SIGSEGV)").
std::string list_plugins(const Registry &registry);

// The description of one plugin, its options (required ones marked, sizes, durations and
// enums spelled out) and a config snippet. Throws PluginError.
std::string describe_plugin(const Registry &registry, const std::string &ref_text);

} // namespace mafio
