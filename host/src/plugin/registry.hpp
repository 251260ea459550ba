// Where plugins are found: an ordered list of directories, each flat, holding <name>-<tag>.so.
// A name:tag present in several directories is taken from the first.
#pragma once

#include "plugin/plugin_ref.hpp"

#include <string>
#include <vector>

namespace mafio {

struct PluginFile {
    std::string name;
    std::string tag;
    std::string path; // absolute
};

class Registry {
public:
    explicit Registry(std::vector<std::string> dirs);

    const std::vector<std::string> &dirs() const { return dirs_; }

    // Every plugin file in the search directories, sorted by name then tag (natural order).
    std::vector<PluginFile> scan() const;

    // The file for `ref`; with no tag, the highest tag present. Throws PluginError listing what
    // is there when nothing matches: every tag of that name, or else every name:tag present.
    // With `expected_kind` (a mafio_kind; 0 = any), that second list holds only the plugins of
    // that kind, learnt by inspecting the files in child processes (plugin_probe.hpp): this
    // path only runs when the agent is about to refuse its configuration anyway.
    PluginFile find(const PluginRef &ref, int expected_kind = 0) const;

private:
    std::vector<std::string> dirs_;
};

// The search order: -plugins-dir, $MAFIO_PLUGINS_DIR, config "plugins_dir", then next to the
// executable (../lib/mafio/plugins, which is also the build tree's layout). Empty entries are
// skipped; relative ones are made absolute.
std::vector<std::string> plugin_search_dirs(const std::string &flag_dir,
                                            const std::string &config_dir);

} // namespace mafio
