// The environment and working directory of a job plugin's children (exec:V1, command:V1), from
// the options `env`, `inherit_env` and `cwd`, and the lookup of the program in the child's PATH.
//
// The default environment is small on purpose: the agent's own environment may hold secrets
// (tokens substituted into its configuration) that a command run on a record has no business
// seeing. A child gets PATH, HOME, USER, LOGNAME, SHELL, LANG, LC_*, TZ and TMPDIR from the agent
// (PATH defaults to /usr/local/bin:/usr/bin:/bin when the agent has none), then `env` on top.
// `inherit_env: true` passes the agent's whole environment instead, as a shell would.
#pragma once

#include <mafio/plugin.hpp>

#include <algorithm>
#include <cstring>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>
#include <vector>

extern char **environ;

namespace mafio_plugins {

inline constexpr const char *kDefaultPath = "/usr/local/bin:/usr/bin:/bin";

#define MAFIO_CHILD_ENV_SCHEMA                                                                     \
    "\"env\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"},"                 \
    "\"description\":\"environment variables set for the command, on top of the kept ones\"},"     \
    "\"inherit_env\":{\"type\":\"boolean\",\"default\":false,"                                     \
    "\"description\":\"pass the agent's whole environment; by default only PATH, HOME, USER, "     \
    "LOGNAME, SHELL, LANG, LC_*, TZ and TMPDIR are passed\"},"                                     \
    "\"cwd\":{\"type\":\"string\",\"description\":\"working directory of the command (must "       \
    "exist); default: the agent's\"}"

// Whether the agent's variable `entry` ("NAME=value") is passed without inherit_env.
inline bool kept_by_default(std::string_view entry) {
    static const char *const kept[] = {
        "PATH=", "HOME=", "USER=", "LOGNAME=", "SHELL=", "LANG=", "LC_", "TZ=", "TMPDIR="};
    return std::any_of(std::begin(kept), std::end(kept),
                       [&](const char *k) { return entry.starts_with(k); });
}

struct ChildSetup {
    std::vector<std::string> env; // "NAME=value", what the child gets
    std::string cwd;

    // The value of `name` in the child's environment, or "".
    std::string get(std::string_view name) const {
        for (const auto &e : env)
            if (e.size() > name.size() && e.compare(0, name.size(), name) == 0 &&
                e[name.size()] == '=')
                return e.substr(name.size() + 1);
        return {};
    }
    void set(const std::string &name, const std::string &value) {
        for (auto &e : env)
            if (e.size() > name.size() && e.compare(0, name.size(), name) == 0 &&
                e[name.size()] == '=') {
                e = name + "=" + value;
                return;
            }
        env.push_back(name + "=" + value);
    }
};

// Reads `env`, `inherit_env` and `cwd`; throws mafio::Error naming the option.
inline ChildSetup child_setup_option(mafio::Options &opts) {
    ChildSetup s;
    const bool inherit = opts.boolean("inherit_env", false);
    for (char **e = environ; e && *e; ++e)
        if (inherit || kept_by_default(*e)) s.env.emplace_back(*e);
    if (s.get("PATH").empty()) s.set("PATH", kDefaultPath);
    for (auto &[name, value] : opts.string_map("env")) {
        if (name.empty() || name.find_first_of(std::string("=\0", 2)) != std::string::npos)
            throw mafio::Error(opts.where() + ".env: \"" + name +
                               "\" is not a variable name (non-empty, without '=' or NUL)");
        if (value.find('\0') != std::string::npos)
            throw mafio::Error(opts.where() + ".env." + name + ": a value cannot contain NUL");
        s.set(name, value);
    }
    s.cwd = opts.string("cwd", "");
    struct stat st {};
    if (!s.cwd.empty() && (::stat(s.cwd.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)))
        throw mafio::Error(opts.where() + ".cwd: \"" + s.cwd + "\" is not a directory");
    return s;
}

// The program `name` as execve needs it: itself when it holds a '/', else the first executable
// file of that name in the directories of `path` (as the shell searches). "" when none.
inline std::string find_executable(const std::string &name, const std::string &path) {
    auto runnable = [](const std::string &p) {
        struct stat st {};
        return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(p.c_str(), X_OK) == 0;
    };
    if (name.find('/') != std::string::npos) return runnable(name) ? name : std::string();
    size_t from = 0;
    while (from <= path.size()) {
        size_t to = path.find(':', from);
        if (to == std::string::npos) to = path.size();
        std::string dir = path.substr(from, to - from);
        if (dir.empty()) dir = "."; // an empty PATH entry means the working directory
        const std::string candidate = dir + "/" + name;
        if (runnable(candidate)) return candidate;
        from = to + 1;
    }
    return {};
}

// find_executable for the option `where` (e.g. "outputs[0].argv[0]"), or a clear error.
inline std::string executable_or_throw(const std::string &name, const ChildSetup &setup,
                                       const std::string &where) {
    if (name.empty()) throw mafio::Error(where + ": the program name is empty");
    std::string found = find_executable(name, setup.get("PATH"));
    if (found.empty()) {
        if (name.find('/') != std::string::npos)
            throw mafio::Error(where + ": \"" + name + "\" is not an executable file");
        throw mafio::Error(where + ": \"" + name + "\" was not found in PATH (" +
                           setup.get("PATH") + "); give its full path or set env.PATH");
    }
    return found;
}

} // namespace mafio_plugins
