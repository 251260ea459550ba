#include "plugin/registry.hpp"

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

PluginFile Registry::find(const PluginRef &ref) const {
    auto all = scan();
    const PluginFile *best = nullptr;
    std::string tags;
    for (const auto &f : all) {
        if (f.name != ref.name) continue;
        tags += (tags.empty() ? "" : ", ") + f.name + ":" + f.tag;
        if (ref.tag.empty() || f.tag == ref.tag) best = &f; // sorted: the last is the highest
    }
    if (best && (ref.tag.empty() || best->tag == ref.tag)) return *best;

    std::string where;
    for (const auto &d : dirs_) where += (where.empty() ? "" : ", ") + d;
    if (!tags.empty())
        throw PluginError("plugin " + ref.str() + " not found; present: " + tags + " (in " +
                          where + ")");
    std::string names;
    for (const auto &f : all)
        if (names.find(f.name + ":") == std::string::npos)
            names += (names.empty() ? "" : ", ") + f.name + ":" + f.tag;
    throw PluginError("plugin " + ref.str() + " not found in " +
                      (where.empty() ? std::string("any plugins directory") : where) +
                      (names.empty() ? std::string("; no plugins there")
                                     : "; available: " + names));
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
    add(flag_dir);
    if (const char *env = std::getenv("MAFIO_PLUGINS_DIR")) add(env);
    add(config_dir);
    if (fs::path exe = executable_dir(); !exe.empty())
        add((exe.parent_path() / "lib" / "mafio" / "plugins").string());
    return dirs;
}

} // namespace mafio
