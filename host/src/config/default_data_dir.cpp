#include "config/load_config.hpp"

#include <cstdlib>
#include <pwd.h>
#include <unistd.h>

namespace mafio {

namespace {

std::string env(const char *name) {
    const char *v = std::getenv(name);
    return v ? v : "";
}

// $HOME, or the password database's home when HOME is unset (as under some service managers).
std::string home_dir() {
    std::string home = env("HOME");
    if (!home.empty()) return home;
    if (const passwd *pw = ::getpwuid(::geteuid()); pw && pw->pw_dir) return pw->pw_dir;
    return "";
}

} // namespace

std::string default_data_dir(const std::string &agent_id) {
    if (::geteuid() == 0) return "/var/lib/mafio/" + agent_id;
    // The XDG spec says a relative XDG_STATE_HOME is invalid and must be ignored.
    std::string state = env("XDG_STATE_HOME");
    if (!state.empty() && state.front() == '/') return state + "/mafio/" + agent_id;
    std::string home = home_dir();
    if (!home.empty()) return home + "/.local/state/mafio/" + agent_id;
    return "/tmp/mafio-" + std::to_string(::geteuid()) + "/" + agent_id;
}

} // namespace mafio
