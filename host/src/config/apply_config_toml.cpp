#include "config/apply_config_toml.hpp"

#include "config/address_rules.hpp"
#include "config/env_substitution.hpp"
#include "config/load_config.hpp"
#include "config/value_rules.hpp"
#include "util/log.hpp"

#include <mafio/units.hpp>

#include <toml++/toml.h>

#include <filesystem>
#include <optional>

namespace mafio {

namespace {

using Check = std::optional<std::string> (*)(std::string_view);

// The original's keys that mafio reads, in the order they are applied.
const std::vector<std::string> known_keys = {"agent_id",
                                             "agent_group",
                                             "http_address",
                                             "max_write_channel_size",
                                             "max_write_bulk_size",
                                             "send_interval",
                                             "input",
                                             "filter",
                                             "output",
                                             "plugins_config_paths"};

// Keys of the original that mean nothing in mafio, and why.
struct ObsoleteKey {
    std::string_view key, why;
};
constexpr ObsoleteKey obsolete_keys[] = {
    {"send_interval",
     "outputs are written as soon as records arrive, in bulks of at most max_write_bulk_size"},
};

std::string shown(const toml::node &n) {
    if (auto s = n.as_string()) return mafio::quoted(s->get());
    if (auto i = n.as_integer()) return std::to_string(i->get());
    if (auto b = n.as_boolean()) return b->get() ? "true" : "false";
    if (n.is_floating_point()) return "a number";
    if (n.is_array()) return "an array";
    if (n.is_table()) return "a table";
    return "a date or time";
}

class TomlReader {
public:
    TomlReader(AgentConfig &cfg, const std::string &source) : cfg_(cfg), source_(source) {}

    std::vector<PluginOptionFile> read(const toml::table &root) {
        for (auto &&[key, node] : root)
            check_key(key);
        // The option files first: the plugin lists take their options from them.
        if (const toml::node *n = root.get("plugins_config_paths")) read_option_files(*n);
        if (const toml::node *n = root.get("agent_id"))
            cfg_.agent_id = string(*n, "agent_id", check_agent_word);
        if (const toml::node *n = root.get("agent_group"))
            cfg_.agent_group = string(*n, "agent_group", check_agent_word);
        if (const toml::node *n = root.get("http_address"))
            cfg_.http_address = string(*n, "http_address", check_listen_address);
        if (const toml::node *n = root.get("max_write_channel_size"))
            cfg_.write_channel_size = count(*n, "max_write_channel_size", channel_size_range);
        if (const toml::node *n = root.get("max_write_bulk_size"))
            cfg_.write_bulk_size = count(*n, "max_write_bulk_size", bulk_size_range);
        if (const toml::node *n = root.get("input")) cfg_.inputs = plugins(*n, "input", "inputs");
        if (const toml::node *n = root.get("filter"))
            cfg_.filters = plugins(*n, "filter", "filters");
        if (const toml::node *n = root.get("output"))
            cfg_.outputs = plugins(*n, "output", "outputs");
        return std::move(files_);
    }

private:
    // "FILE:LINE:COL".
    std::string position(const toml::source_region &where) const {
        return source_ + ":" + std::to_string(where.begin.line) + ":" +
               std::to_string(where.begin.column);
    }
    std::string at(const toml::source_region &where) const { return position(where) + ": "; }

    [[noreturn]] void fail(const toml::node &n, const std::string &key,
                           const std::string &problem) const {
        throw ConfigError(at(n.source()) + key + ": " + problem);
    }

    void check_key(const toml::key &key) const {
        std::string name(key.str());
        // A quoted TOML key may hold anything; a bare one is safe to show as it is.
        bool bare = name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                           "0123456789_-") == std::string::npos;
        for (const auto &o : obsolete_keys)
            if (o.key == name) {
                log::warn("{}{} has no meaning in mafio and is ignored: {}", at(key.source()), name,
                          o.why);
                return;
            }
        for (const auto &k : known_keys)
            if (k == name) return;
        std::string msg = at(key.source()) + (bare ? name : mafio::quoted(name)) + ": unknown key";
        std::string near = closest_match(name, known_keys);
        if (!near.empty()) msg += "; did you mean \"" + near + "\"?";
        msg += " (the original agent's keys that mafio reads:";
        for (size_t i = 0; i < known_keys.size(); ++i)
            msg += (i ? ", " : " ") + known_keys[i];
        throw ConfigError(msg + "; mafio's other settings go in a JSON config or flags, see "
                                "docs/configuration.md)");
    }

    std::string string(const toml::node &n, const std::string &key, Check check) const {
        const toml::value<std::string> *s = n.as_string();
        if (!s) fail(n, key, "expected a string, got " + shown(n));
        std::string value = s->get();
        if (has_substitution(value)) {
            Substituted sub = substitute_env(value, process_env);
            if (sub.error) fail(n, key, sub.error->message);
            value = std::move(sub.text);
        }
        if (check)
            if (auto problem = check(value)) fail(n, key, *problem);
        return value;
    }

    uint32_t count(const toml::node &n, const std::string &key, RecordCountRange range) const {
        std::optional<uint64_t> value;
        if (auto i = n.as_integer()) {
            if (i->get() >= 0) value = static_cast<uint64_t>(i->get());
        } else if (n.is_string()) {
            value = parse_size(string(n, key, nullptr));
        }
        if (!value)
            fail(n, key,
                 "expected a whole number from " + std::to_string(range.min) + " to " +
                     std::to_string(range.max) + ", got " + shown(n));
        if (auto problem = check_record_count(*value, range)) fail(n, key, *problem);
        return static_cast<uint32_t>(*value);
    }

    // "a", "a,b" or ["a", "b"]: as the -input flag, or a list.
    std::vector<PluginSpec> plugins(const toml::node &n, const std::string &key,
                                    const std::string &model_key) const {
        std::vector<std::pair<std::string, const toml::node *>> names;
        if (n.is_string()) {
            std::string value = string(n, key, nullptr);
            bool blank = value.find_first_not_of(" \t") == std::string::npos;
            for (size_t start = 0; !blank;) {
                size_t comma = value.find(',', start);
                std::string item = value.substr(start, comma - start);
                size_t b = item.find_first_not_of(" \t"), e = item.find_last_not_of(" \t");
                names.emplace_back(b == std::string::npos ? "" : item.substr(b, e - b + 1), &n);
                if (comma == std::string::npos) break;
                start = comma + 1;
            }
        } else if (const toml::array *list = n.as_array()) {
            for (const toml::node &item : *list)
                names.emplace_back(string(item, key, nullptr), &item);
        } else {
            fail(n, key,
                 "expected a plugin name such as \"filereader:V1\", names separated by "
                 "commas, or a list of names, got " +
                     shown(n));
        }
        if (names.empty() && key != "filter")
            fail(n, key, "needs at least one plugin, such as \"stdin\"");

        std::vector<PluginSpec> specs;
        for (size_t i = 0; i < names.size(); ++i) {
            const auto &[name, node] = names[i];
            if (auto problem = check_plugin_name(name)) fail(*node, key, *problem);
            PluginSpec spec;
            spec.plugin = name;
            spec.where = model_key + "[" + std::to_string(i) + "]";
            const PluginOptionFile *file =
                find_plugin_options(files_, name, at(node->source()) + key);
            spec.options_json = file ? file->options_json : "{}";
            specs.push_back(std::move(spec));
        }
        return specs;
    }

    void read_option_files(const toml::node &n) {
        const std::string key = "plugins_config_paths";
        std::vector<const toml::node *> items;
        if (n.is_string()) {
            items.push_back(&n);
        } else if (const toml::array *list = n.as_array()) {
            for (const toml::node &item : *list)
                items.push_back(&item);
        } else {
            fail(n, key, "expected a list of JSON files such as [\"logr.json\"], got " + shown(n));
        }
        std::filesystem::path dir = std::filesystem::path(source_).parent_path();
        for (const toml::node *item : items) {
            std::string path = string(*item, key, nullptr);
            if (path.empty()) fail(*item, key, "expected the path of a JSON file, got \"\"");
            // Relative to the config file, as in the original, not to the working directory.
            std::filesystem::path p(path);
            if (p.is_relative()) p = dir / p;
            try {
                add_plugin_option_file(files_, read_plugin_option_file(p.string()));
            } catch (const ConfigError &e) {
                // The file's own message first, then which entry of the TOML listed it.
                throw ConfigError(std::string(e.what()) + " (listed in " +
                                  position(item->source()) + ")");
            }
        }
    }

    AgentConfig &cfg_;
    const std::string &source_;
    std::vector<PluginOptionFile> files_;
};

} // namespace

std::vector<PluginOptionFile> apply_config_toml(AgentConfig &cfg, std::string_view text,
                                                const std::string &source) {
    toml::table root;
    try {
        root = toml::parse(text, source);
    } catch (const toml::parse_error &e) {
        const toml::source_position &pos = e.source().begin;
        throw ConfigError(source + ":" + std::to_string(pos.line) + ":" +
                          std::to_string(pos.column) + ": " + std::string(e.description()));
    }
    AgentConfig updated = cfg;
    std::vector<PluginOptionFile> files = TomlReader(updated, source).read(root);
    cfg = std::move(updated);
    return files;
}

} // namespace mafio
