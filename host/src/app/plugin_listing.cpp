#include "app/plugin_listing.hpp"

#include "plugin/plugin_probe.hpp"
#include "plugin/schema_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace mafio {

namespace {
std::string or_dash(const std::string &s) {
    return s.empty() ? "-" : s;
}

// The loader's refusals start "plugin file <path>: "; the listing shows the path on its own line.
std::string without_path(const PluginProbe &p) {
    const std::string prefix = "plugin file " + p.path + ": ";
    return p.refused.rfind(prefix, 0) == 0 ? p.refused.substr(prefix.size()) : p.refused;
}
} // namespace

std::string list_plugins(const Registry &registry) {
    std::string out;
    auto files = registry.scan();
    for (const auto &p : probe_plugin_files(files, ProbeLimits{})) {
        if (p.refused.empty())
            out += fmt::format("{}:{}\n  kind:        {}\n  version:     {} (plugin ABI {})\n"
                               "  description: {}\n  path:        {}\n",
                               p.name, p.tag, p.kind, or_dash(p.version), or_dash(p.abi),
                               or_dash(p.description), p.path);
        else
            out += fmt::format("{}:{}\n  refused:     {}\n  path:        {}\n", p.name, p.tag,
                               without_path(p), p.path);
    }
    if (files.empty()) {
        std::string dirs;
        for (const auto &d : registry.dirs())
            dirs += " " + d;
        out += fmt::format("no plugins found in:{}\n", dirs);
    }
    return out;
}

std::string describe_plugin(const Registry &registry, const std::string &ref_text) {
    PluginFile f = registry.find(parse_plugin_ref(ref_text));
    PluginProbe p = probe_plugin_files({f}, ProbeLimits{}).at(0);
    if (!p.refused.empty()) {
        // The loader's own refusals already name the file.
        if (p.refused.rfind("plugin file ", 0) == 0) throw PluginError(p.refused);
        throw PluginError(fmt::format("plugin file {}: {}", f.path, p.refused));
    }
    std::string out = fmt::format(
        "{}:{} ({} plugin, version {}, plugin ABI {})\n{}\n\npath: {}\n\n", p.name, p.tag, p.kind,
        or_dash(p.version), or_dash(p.abi), or_dash(p.description), p.path);
    if (!p.options_schema) return out + "options: none declared\n";
    std::vector<OptionDoc> docs;
    try {
        docs = option_docs(*p.options_schema);
    } catch (const std::invalid_argument &e) {
        return out + fmt::format("options: {}; as declared:\n{}\n", e.what(), *p.options_schema);
    }
    out += options_text(docs);
    const bool required =
        std::any_of(docs.begin(), docs.end(), [](const OptionDoc &d) { return d.required; });
    out +=
        fmt::format("\nconfig snippet ({}):\n", required ? "the required options; the others keep "
                                                           "their defaults"
                                                         : "every option keeps its default");
    return out + config_snippet(p.kind, p.name + ":" + p.tag, docs);
}

} // namespace mafio
