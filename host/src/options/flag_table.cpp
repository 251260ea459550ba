#include "options/flag_table.hpp"

#include "config/channel_limits.hpp"

#include <array>

namespace mafio {

namespace {

using CL = CommandLine;

constexpr std::string_view plugin_list_form = "plugin names as name or name:tag, comma-separated";

FlagSpec text(std::string_view name, std::optional<std::string> CL::*field,
              std::string_view default_text, std::string_view help, std::string_view accepted) {
    FlagSpec f{name, FlagKind::text, default_text, help, accepted};
    f.text = field;
    return f;
}

// A second name for a flag: the usage text lists it beside the flag (see usage_text).
FlagSpec alias(FlagSpec f, std::string_view name) {
    f.name = name;
    f.hidden = true;
    return f;
}

// A flag whose repetition is a mistake rather than an override.
FlagSpec once(FlagSpec f) {
    f.once = true;
    return f;
}

FlagSpec integer(std::string_view name, std::optional<int64_t> CL::*field,
                 std::string_view default_text, std::string_view help, RecordCountRange range) {
    FlagSpec f{name, FlagKind::integer, default_text, help, "a whole number"};
    f.integer = field;
    f.min = static_cast<int64_t>(range.min);
    f.max = static_cast<int64_t>(range.max);
    return f;
}

FlagSpec boolean(std::string_view name, bool CL::*field, std::string_view help,
                 bool hidden = false) {
    FlagSpec f{name, FlagKind::boolean, "", help, "true or false"};
    f.boolean = field;
    f.hidden = hidden;
    return f;
}

// A flag for mafio's own use (it runs itself with it), left out of the usage text.
FlagSpec internal(FlagSpec f) {
    f.hidden = true;
    return f;
}

const FlagSpec agent_id =
    text("agent-id", &CL::agent_id, "sky01", "agent id; also names the data directory",
         "an id of letters, digits, '.', '_' or '-'");
const FlagSpec agent_group = text("agent-group", &CL::agent_group, "net01",
                                  "agent group; also the InfluxDB database of the agent's metrics",
                                  "a group of letters, digits, '.', '_' or '-'");

// The original agent's flags first, in its README's order, then mafio's own.
const std::array<FlagSpec, 32> table = {
    agent_id,
    agent_group,
    // Some versions of the original agent spelled them -m-id and -m-group.
    alias(agent_id, "m-id"),
    alias(agent_group, "m-group"),
    // Two config files cannot both be meant; last-wins would silently ignore one.
    once(text("config", &CL::config_path, "",
              "configuration file: JSON (.json), or the original agent's TOML (.toml, .conf)",
              "a path to a JSON or TOML file")),
    text("etcd-endpoint", &CL::etcd_endpoint, "0.0.0.0:2379",
         "etcd endpoints for service discovery and central configuration, comma-separated; "
         "discovery is off unless this flag or etcd.endpoints is given",
         "host:port or http(s)://host:port, several separated by commas"),
    // etcd (issue 12): validate a central config document as the agent would apply it.
    text("central-config", &CL::central_config, "",
         "with -check: a central configuration document (as published in etcd), checked against "
         "the central policy and merged over the local configuration",
         "a path to a JSON file"),
    text("filepath", &CL::filepath, "",
         "file to read: sets the \"path\" option of the first input (use with -input=file)",
         "a file path"),
    text("http-address", &CL::http_address, "0.0.0.0:10630",
         "<addr>:<port> to listen on for HTTP clients; \"off\" disables", "host:port or \"off\""),
    text("influxdb-addr", &CL::influxdb_addr, "",
         "InfluxDB address for the agent's own metrics: host:port or http://host:port; "
         "empty disables",
         "host:port or http(s)://host:port"),
    integer("max-read-channel-size", &CL::max_read_channel_size, "4096",
            "records in flight between the inputs and the filters", channel_size_range),
    integer("max-write-bulk-size", &CL::max_write_bulk_size, "500",
            "records handed to one output call at most", bulk_size_range),
    integer("max-write-channel-size", &CL::max_write_channel_size, "4096",
            "records in flight between the filters and each output", channel_size_range),
    text("input", &CL::input, "stdin", "input plugins, name or name:tag, comma-separated",
         plugin_list_form),
    text("filter", &CL::filter, "valid",
         "filter chain, name or name:tag, comma-separated; -filter= for none", plugin_list_form),
    text("output", &CL::output, "stdout", "output plugins, name or name:tag, comma-separated",
         plugin_list_form),
    text("f", &CL::config_json, "", "configuration as a JSON string (the document of -config)",
         "a JSON object"),
    boolean("version", &CL::version,
            "print the version (first line: \"mafio VERSION\"), the banner and the build, "
            "and exit"),
    boolean("q", &CL::quiet, "with -version: print only the version number, for scripts"),
    text("plugins-dir", &CL::plugins_dir, "",
         "directory of plugin .so files (default: $MAFIO_PLUGINS_DIR, the config's plugins_dir, "
         "then ../lib/mafio/plugins next to the binary)",
         "a directory path"),
    text("data-dir", &CL::data_dir, "",
         "directory for checkpoints (default: /var/lib/mafio/<agent-id> as root, else "
         "$XDG_STATE_HOME/mafio/<agent-id> or ~/.local/state/mafio/<agent-id>)",
         "a directory path"),
    text("log-level", &CL::log_level, "info", "the agent's own log: debug, info, warn or error",
         "debug, info, warn or error"),
    text("http-admin-token-file", &CL::http_admin_token_file, "",
         "file holding the bearer token that lets other hosts call the API's mutating endpoints "
         "(default: none, from loopback only)",
         "a path to a file holding one token"),
    boolean("list-plugins", &CL::list_plugins, "list the plugins found and exit"),
    boolean("check", &CL::check,
            "validate the configuration and load every plugin it names, start nothing; "
            "exit 0 or 1"),
    boolean("diff", &CL::diff,
            "with -check: also print what a reload of this configuration would change in the "
            "agent running with the same data directory, and whether it would apply"),
    text("describe", &CL::describe, "", "print a plugin's description and options and exit",
         "a plugin as name or name:tag"),
    // Scheduling (README "Scheduling").
    text("cron", &CL::cron, "",
         "print the next five fire times of a schedule expression and exit, e.g. "
         "-cron \"*/5 * * * *\"",
         "a cron expression such as \"*/5 * * * *\", \"0 */1 * * * ?\" or \"@every 1h\""),
    text("cron-timezone", &CL::cron_timezone, "",
         "with -cron: the IANA time zone the expression is read in (default: local time)",
         "an IANA time zone name such as \"Europe/Berlin\""),
    boolean("h", &CL::help, "print this help and exit"),
    boolean("help", &CL::help, "print this help and exit", /*hidden=*/true),
    internal(text("inspect-plugin", &CL::inspect_plugin, "",
                  "internal: load one plugin file and print what it is as one JSON line",
                  "a plugin file path")),
};

} // namespace

std::span<const FlagSpec> flag_table() {
    return table;
}

const FlagSpec *find_flag(std::string_view name) {
    for (const auto &f : table)
        if (f.name == name) return &f;
    return nullptr;
}

} // namespace mafio
