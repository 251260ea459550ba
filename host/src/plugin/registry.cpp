#include "plugin/registry.hpp"

#include "plugin/plugin_probe.hpp"
#include "util/log.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace fs = std::filesystem;

namespace mafio {

Registry::Registry(std::vector<std::string> dirs) : dirs_(std::move(dirs)) {}

std::vector<PluginFile> Registry::scan() const {
    std::vector<PluginFile> found;
    for (const auto &dir : dirs_) {
        std::error_code ec;
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
            PluginRef ref;
            if (!parse_plugin_file_name(it->path().filename().string(), ref)) continue;
            bool shadowed = std::any_of(found.begin(), found.end(), [&](const PluginFile &f) {
                return f.name == ref.name && f.tag == ref.tag;
            });
            if (!shadowed) found.push_back({ref.name, ref.tag, it->path().string()});
        }
    }
    std::sort(found.begin(), found.end(), [](const PluginFile &a, const PluginFile &b) {
        if (a.name != b.name) return a.name < b.name;
        return tag_less(a.tag, b.tag);
    });
    return found;
}

namespace {

std::string joined(const std::vector<std::string> &items) {
    std::string out;
    for (const auto &i : items)
        out += (out.empty() ? "" : ", ") + i;
    return out;
}

const char *kind_word(int kind) {
    switch (kind) {
    case 1:
        return "input";
    case 2:
        return "filter";
    case 3:
        return "output";
    }
    return "";
}

} // namespace

PluginFile Registry::find(const PluginRef &ref, int expected_kind) const {
    auto all = scan();
    const PluginFile *best = nullptr;
    std::vector<std::string> tags;
    for (const auto &f : all) {
        if (f.name != ref.name) continue;
        tags.push_back(f.name + ":" + f.tag);
        if (ref.tag.empty() || f.tag == ref.tag) best = &f; // sorted: the last is the highest
    }
    if (best && (ref.tag.empty() || best->tag == ref.tag)) return *best;

    const std::string where = joined(dirs_);
    if (!tags.empty())
        throw PluginError("plugin " + ref.str() + " not found; present: " + joined(tags) + " (in " +
                          where + ")");
    const std::string in = "plugin " + ref.str() + " not found in " +
                           (where.empty() ? std::string("any plugins directory") : where);
    std::vector<std::string> present;
    for (const auto &f : all)
        present.push_back(f.name + ":" + f.tag);
    if (present.empty()) throw PluginError(in + "; no plugins there");
    if (expected_kind == 0) throw PluginError(in + "; available: " + joined(present));

    const std::string kind = kind_word(expected_kind);
    std::vector<std::string> of_kind;
    auto probes = probe_plugin_files(all, ProbeLimits{});
    for (const auto &p : probes)
        if (p.refused.empty() && p.kind == kind) of_kind.push_back(p.name + ":" + p.tag);
    if (of_kind.empty())
        throw PluginError(in + "; no " + kind + " plugin there (present: " + joined(present) + ")");
    throw PluginError(in + "; " + kind + " plugins there: " + joined(of_kind));
}

namespace {
std::string absolute(const std::string &dir) {
    std::error_code ec;
    fs::path p = fs::absolute(dir, ec);
    return ec ? dir : p.lexically_normal().string();
}

fs::path executable_dir() {
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path() : exe.parent_path();
}
} // namespace

std::vector<std::string> plugin_search_dirs(const std::string &flag_dir,
                                            const std::string &config_dir) {
    std::vector<std::string> dirs;
    auto add = [&](const std::string &d) {
        if (d.empty()) return;
        std::string a = absolute(d);
        if (std::find(dirs.begin(), dirs.end(), a) == dirs.end()) dirs.push_back(a);
    };
    // A directory the operator named that is not there would otherwise be skipped silently,
    // and the plugins quietly come from elsewhere (or "not found" names every directory).
    auto named = [&](const std::string &d, const char *by) {
        if (d.empty() || std::find(dirs.begin(), dirs.end(), absolute(d)) != dirs.end()) return;
        std::error_code ec;
        if (!fs::is_directory(d, ec))
            log::warn("{} \"{}\": {}; plugins are looked for in the other directories only", by,
                      absolute(d), fs::exists(d, ec) ? "not a directory" : "no such directory");
        add(d);
    };
    named(flag_dir, "-plugins-dir");
    if (const char *env = std::getenv("MAFIO_PLUGINS_DIR")) named(env, "MAFIO_PLUGINS_DIR");
    named(config_dir, "plugins_dir (config)");
    if (fs::path exe = executable_dir(); !exe.empty())
        add((exe.parent_path() / "lib" / "mafio" / "plugins").string());
    return dirs;
}

} // namespace mafio
