// `mafio -inspect-plugin PATH`: the child process of probe_plugin_files. It exists so that a
// plugin that crashes or hangs while loading takes down this process only.
#include "plugin/loader.hpp"
#include "plugin/plugin_probe.hpp"

#include <csignal>
#include <cstdio>
#include <exception>
#include <fcntl.h>
#include <filesystem>
#include <string>
#include <sys/prctl.h>
#include <unistd.h>

namespace mafio {

namespace {

// A child must not outlive the parent that waits for it, even if the plugin's load hangs
// and the parent was killed before it could kill the child.
void die_with_parent() {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    ::alarm(300); // and never live for long whatever happens
}

// Returns the loaded plugin so that the caller holds it until _exit: unloading it would run
// its destructors, which is not what is being inspected and could crash after the result.
std::shared_ptr<LoadedPlugin> fill(PluginProbe &p) {
    PluginRef ref;
    if (!parse_plugin_file_name(std::filesystem::path(p.path).filename().string(), ref)) {
        p.refused = "not a plugin file name; expected <name>-<tag>.so";
        return nullptr;
    }
    p.name = ref.name;
    p.tag = ref.tag;
    try {
        auto plugin = load_plugin(PluginFile{p.name, p.tag, p.path}, 0);
        const auto &d = plugin->desc();
        p.kind = kind_name(plugin->kind());
        p.version = d.version ? d.version : "";
        p.description = d.description ? d.description : "";
        p.abi = std::to_string(d.abi_major) + "." + std::to_string(d.abi_minor);
        if (d.options_schema) p.options_schema = d.options_schema;
        return plugin;
    } catch (const std::exception &e) {
        p.refused = e.what();
    }
    return nullptr;
}

} // namespace

void inspect_plugin_child(const std::string &path) {
    die_with_parent();
    // The result goes to the original stdout; anything the plugin prints goes to stderr.
    const int result_fd = ::fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
    ::dup2(STDERR_FILENO, STDOUT_FILENO);
    PluginProbe p;
    p.path = path;
    const auto held = fill(p);
    const std::string line = probe_to_json(p) + "\n";
    const char *at = line.data();
    size_t left = line.size();
    while (left > 0 && result_fd >= 0) {
        ssize_t n = ::write(result_fd, at, left);
        if (n <= 0) ::_exit(2);
        at += n;
        left -= static_cast<size_t>(n);
    }
    ::_exit(result_fd >= 0 ? 0 : 2); // no destructors, no dlclose: `held` stays loaded
}

} // namespace mafio
