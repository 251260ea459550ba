// The command line, Go style as the original agent: -flag=value, -flag value, --flag=value.
// Parsing only: what each flag means for the configuration is decided in config/.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

namespace mafio {

// A bad command line; the message names the flag and what would be accepted.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct CommandLine {
    // Actions.
    bool help = false;
    bool version = false;
    bool quiet = false; // -q: -version prints the version number only
    bool list_plugins = false;
    bool check = false;
    bool diff = false;                   // with -check: what a reload of this config would change
    std::optional<std::string> describe; // -describe name:tag
    // -cron EXPR [-cron-timezone ZONE]: print the next five fire times of a schedule and exit.
    std::optional<std::string> cron, cron_timezone;
    // -inspect-plugin PATH (hidden): the child process that -list-plugins, -describe and
    // GET /plugins run to load one plugin file outside the agent (plugin/plugin_probe.hpp).
    std::optional<std::string> inspect_plugin;

    // Where configuration comes from.
    std::optional<std::string> config_path; // -config FILE
    std::optional<std::string> config_json; // -f JSON
    // -central-config FILE (with -check): a central config document (discovery/), read over
    // the local configuration as an agent-level etcd key would be.
    std::optional<std::string> central_config;

    // Explicitly given flags only (std::nullopt when absent), so that precedence can be applied.
    std::optional<std::string> agent_id, agent_group, etcd_endpoint, filepath, http_address,
        http_admin_token_file, influxdb_addr, input, filter, output, plugins_dir, data_dir,
        log_level;
    std::optional<int64_t> max_read_channel_size, max_write_bulk_size, max_write_channel_size;
};

// Throws UsageError.
CommandLine parse_command_line(int argc, const char *const argv[]);

// The -h text: every flag with its default, Go style.
std::string usage_text();

} // namespace mafio
