// What a plugin file is, as learnt by loading it in a child process (`mafio -inspect-plugin
// PATH`), so that listing a plugins directory never runs a plugin's code in the agent: a broken
// or hostile .so there costs one refused entry, not the process. The child writes one JSON line
// (probe_to_json); the parent reads it back (probe_from_json) or, when the child crashed or hung,
// says so in `refused`.
#pragma once

#include "plugin/registry.hpp"

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mafio {

struct PluginProbe {
    std::string name, tag, path;
    std::string kind, version, description, abi; // empty when refused
    std::optional<std::string> options_schema;   // the plugin's JSON Schema text, if it has one
    std::string refused;                         // why it cannot be loaded, or ""
};

// One line of JSON, no newline.
std::string probe_to_json(const PluginProbe &p);
// nullopt when `line` is not what probe_to_json writes.
std::optional<PluginProbe> probe_from_json(std::string_view line);

// The child: loads `path` (with every check of load_plugin), writes the probe as one line to
// stdout and exits 0 without unloading anything. Whatever the plugin prints goes to stderr.
[[noreturn]] void inspect_plugin_child(const std::string &path);

struct ProbeLimits {
    std::chrono::milliseconds per_file{5000};  // a child still loading after this is killed
    unsigned parallel = 4;                     // children at once
    std::string executable = "/proc/self/exe"; // the mafio binary that serves -inspect-plugin
};

// The parent: one child per file, `parallel` at a time. Results are in the order of `files`,
// with name, tag and path always from `files`. A child that crashed gives refused "crashed while
// loading: signal 11 (SIGSEGV)"; one that hung past per_file is killed and refused. `stop`
// (may be null) ends the run early: children are killed, unfinished files refused.
std::vector<PluginProbe> probe_plugin_files(const std::vector<PluginFile> &files,
                                            const ProbeLimits &limits,
                                            const std::atomic<bool> *stop = nullptr);

// Why a child that ended with waitpid `status` gave no result.
std::string child_failure(int status, bool timed_out, std::chrono::milliseconds bound);

} // namespace mafio
