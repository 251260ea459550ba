// The merge: defaults < config file (-config, JSON or the original's TOML) < JSON string (-f) <
// explicit flags.
#include "config/load_config.hpp"

#include "config/address_rules.hpp"
#include "config/apply_config_toml.hpp"
#include "config/config_format.hpp"
#include "config/plugin_lists.hpp"
#include "config/read_config_file.hpp"
#include "config/topology.hpp"
#include "config/value_rules.hpp"
#include "http/admin_token.hpp"

namespace mafio {

namespace {

using Check = std::optional<std::string> (*)(std::string_view);

// The original agent's plugin defaults: -input=stdin -filter=valid -output=stdout.
void set_default_plugins(AgentConfig &cfg) {
    cfg.inputs = {{"stdin", "{}", "inputs[0]"}};
    cfg.filters = {{"valid", "{}", "filters[0]"}};
    cfg.outputs = {{"stdout", "{}", "outputs[0]"}};
}

void apply_text_flag(const std::optional<std::string> &flag, const char *name, std::string &target,
                     Check check) {
    if (!flag) return;
    if (check)
        if (auto problem = check(*flag)) throw ConfigError(std::string(name) + ": " + *problem);
    target = *flag;
}

// Sizes were range-checked while parsing the command line.
void apply_count_flag(const std::optional<int64_t> &flag, uint32_t &target) {
    if (flag) target = static_cast<uint32_t>(*flag);
}

// `option_files`: the TOML config's per-plugin option files (none for JSON), from which a plugin
// named by -input/-filter/-output takes its options.
void apply_flags(AgentConfig &cfg, const CommandLine &cl,
                 const std::vector<PluginOptionFile> &option_files) {
    apply_text_flag(cl.agent_id, "-agent-id", cfg.agent_id, check_agent_word);
    apply_text_flag(cl.agent_group, "-agent-group", cfg.agent_group, check_agent_word);
    apply_text_flag(cl.plugins_dir, "-plugins-dir", cfg.plugins_dir, nullptr);
    apply_text_flag(cl.data_dir, "-data-dir", cfg.data_dir, nullptr);
    apply_text_flag(cl.log_level, "-log-level", cfg.log_level, check_log_level);
    apply_text_flag(cl.http_address, "-http-address", cfg.http_address, check_listen_address);
    apply_text_flag(cl.http_admin_token_file, "-http-admin-token-file", cfg.http_admin_token_file,
                    check_admin_token_file);
    apply_text_flag(cl.etcd_endpoint, "-etcd-endpoint", cfg.etcd_endpoint, check_endpoint);
    if (cl.etcd_endpoint) cfg.etcd_enabled = true;
    apply_text_flag(cl.influxdb_addr, "-influxdb-addr", cfg.influxdb_addr, check_influxdb_addr);
    apply_count_flag(cl.max_read_channel_size, cfg.read_channel_size);
    apply_count_flag(cl.max_write_channel_size, cfg.write_channel_size);
    apply_count_flag(cl.max_write_bulk_size, cfg.write_bulk_size);

    if (cl.input)
        cfg.inputs = plugins_from_flag("-input", *cl.input, cfg.inputs, false, option_files);
    if (cl.filter)
        cfg.filters = plugins_from_flag("-filter", *cl.filter, cfg.filters, true, option_files);
    if (cl.output)
        cfg.outputs = plugins_from_flag("-output", *cl.output, cfg.outputs, false, option_files);

    // After the lists, so that -filepath lands on whatever input ends up first.
    if (cl.filepath) {
        if (cl.filepath->empty())
            throw ConfigError("-filepath: needs the path of the file to read, got \"\"");
        if (cfg.inputs.empty())
            throw ConfigError("-filepath: there is no input to give the path to; add "
                              "-input=file");
        // The original agent's flag is "the file for the file input"; on stdin it would be
        // silently meaningless, so say what to add instead.
        if (plugin_base_name(cfg.inputs.front().plugin) == "stdin")
            throw ConfigError("-filepath: sets the path of a file input, but " +
                              cfg.inputs.front().where + " is \"" + cfg.inputs.front().plugin +
                              "\"; add -input=file (or -input=filereader:V1)");
        cfg.inputs.front().options_json =
            with_string_option(cfg.inputs.front().options_json, "path", *cl.filepath);
    }
}

// An empty list is fine for filters but leaves nothing to read from or write to.
void require_inputs_and_outputs(const AgentConfig &cfg) {
    if (cfg.inputs.empty())
        throw ConfigError(R"(inputs: at least one input is needed; expected "inputs": )"
                          R"([{"plugin": "stdin"}] or -input=stdin)");
    if (cfg.outputs.empty())
        throw ConfigError(R"(outputs: at least one output is needed; expected "outputs": )"
                          R"([{"plugin": "stdout"}] or -output=stdout)");
}

} // namespace

AgentConfig load_config(const CommandLine &cl) {
    return load_config(cl, {});
}

AgentConfig load_config(const CommandLine &cl, const ConfigOverlay &overlay) {
    AgentConfig cfg;
    set_default_plugins(cfg);
    std::vector<PluginOptionFile> option_files;
    if (cl.config_path) {
        const std::string &path = *cl.config_path;
        std::string text = read_config_file(path);
        if (detect_config_format(path, text) == ConfigFormat::toml)
            option_files = apply_config_toml(cfg, text, path);
        else
            apply_config_json(cfg, text, path);
    }
    if (cl.config_json) apply_config_json(cfg, *cl.config_json, "-f");
    apply_flags(cfg, cl, option_files);
    if (overlay) overlay(cfg);
    require_inputs_and_outputs(cfg);
    assign_component_ids(cfg);
    if (cfg.data_dir.empty()) cfg.data_dir = default_data_dir(cfg.agent_id);
    return cfg;
}

} // namespace mafio
