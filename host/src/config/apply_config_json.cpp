// Reads one configuration document onto an AgentConfig: every key known, every type and value
// checked, every error naming the source, the JSON path and what would be accepted.
#include "config/address_rules.hpp"
#include "config/load_config.hpp"
#include "config/parse_json.hpp"
#include "config/schedule_rules.hpp"
#include "config/topology.hpp"
#include "config/value_rules.hpp"
#include "http/admin_token.hpp"

#include <mafio/units.hpp>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <optional>
#include <vector>

namespace mafio {

namespace {

using rapidjson::Value;
using Check = std::optional<std::string> (*)(std::string_view);

// A JSON value as a message shows it after "got".
std::string shown(const Value &v) {
    if (v.IsString()) return quoted({v.GetString(), v.GetStringLength()});
    if (v.IsBool()) return v.GetBool() ? "true" : "false";
    if (v.IsInt64()) return std::to_string(v.GetInt64());
    if (v.IsUint64()) return std::to_string(v.GetUint64());
    if (v.IsNumber()) return std::to_string(v.GetDouble());
    if (v.IsArray()) return "an array";
    if (v.IsObject()) return "an object";
    return "null";
}

std::string joined(const std::string &path, const char *key) {
    return path.empty() ? key : path + "." + key;
}

std::string_view name_of(const Value::ConstMemberIterator &m) {
    return {m->name.GetString(), m->name.GetStringLength()};
}

class DocumentReader {
public:
    DocumentReader(AgentConfig &cfg, const std::string &source) : cfg_(cfg), source_(source) {}

    void read(const Value &root) {
        if (!root.IsObject())
            throw ConfigError(source_ + ": expected a JSON object at the top level, such as " +
                              R"({"inputs": [{"plugin": "stdin"}]})" + ", got " + shown(root));
        check_keys(root, "",
                   {"agent", "plugins_dir", "data_dir", "log_level", "http", "etcd", "influxdb",
                    "health", "channels", "shutdown_grace", "checkpoint_interval", "inputs",
                    "filters", "outputs"});

        if (const Value *agent = object(root, "", "agent", {"id", "group"})) {
            read_string(*agent, "agent", "id", cfg_.agent_id, check_agent_word);
            read_string(*agent, "agent", "group", cfg_.agent_group, check_agent_word);
        }
        read_string(root, "", "plugins_dir", cfg_.plugins_dir, nullptr);
        read_string(root, "", "data_dir", cfg_.data_dir, nullptr);
        read_string(root, "", "log_level", cfg_.log_level, check_log_level);
        if (const Value *http = object(root, "", "http", {"address", "admin_token_file"})) {
            read_string(*http, "http", "address", cfg_.http_address, check_listen_address);
            read_string(*http, "http", "admin_token_file", cfg_.http_admin_token_file,
                        check_admin_token_file);
        }
        if (const Value *etcd =
                object(root, "", "etcd",
                       {"endpoint", "endpoints", "prefix", "lease_ttl", "username", "password_file",
                        "ca_file", "cert_file", "key_file", "allow_exec"}))
            read_etcd(*etcd);
        if (const Value *influx = object(root, "", "influxdb", {"addr", "interval"})) {
            read_string(*influx, "influxdb", "addr", cfg_.influxdb_addr, check_influxdb_addr);
            read_duration(*influx, "influxdb", "interval", cfg_.influxdb_interval_s, 1, 86400,
                          "1s to 24h");
        }
        if (const Value *health = object(root, "", "health", {"output_failing_after"}))
            read_duration(*health, "health", "output_failing_after",
                          cfg_.health_output_failing_after_s, 0, 86400, "0 to 24h");
        if (const Value *ch =
                object(root, "", "channels", {"read_size", "write_size", "write_bulk_size"})) {
            read_count(*ch, "channels", "read_size", cfg_.read_channel_size, channel_size_range);
            read_count(*ch, "channels", "write_size", cfg_.write_channel_size, channel_size_range);
            read_count(*ch, "channels", "write_bulk_size", cfg_.write_bulk_size, bulk_size_range);
        }
        read_duration(root, "", "shutdown_grace", cfg_.shutdown_grace_s, 0, 86400, "0 to 24h");
        read_duration(root, "", "checkpoint_interval", cfg_.checkpoint_interval_s, 0.01, 3600,
                      "10ms to 1h");
        read_plugins(root, "inputs", cfg_.inputs);
        read_plugins(root, "filters", cfg_.filters);
        read_plugins(root, "outputs", cfg_.outputs);
    }

private:
    void read_etcd(const Value &etcd) {
        for (const char *key : {"endpoint", "endpoints"}) {
            const Value *v = member(etcd, key);
            if (!v) continue;
            if (v->IsArray()) { // ["h1:2379", "h2:2379"] is the same as "h1:2379,h2:2379"
                std::string all;
                for (rapidjson::SizeType i = 0; i < v->Size(); ++i) {
                    if (!(*v)[i].IsString())
                        fail(std::string("etcd.") + key + "[" + std::to_string(i) + "]",
                             "expected a string such as \"127.0.0.1:2379\", got " + shown((*v)[i]));
                    all += (all.empty() ? "" : ",") + std::string((*v)[i].GetString());
                }
                if (auto problem = check_endpoint(all)) fail(std::string("etcd.") + key, *problem);
                cfg_.etcd_endpoint = all;
            } else {
                read_string(etcd, "etcd", key, cfg_.etcd_endpoint, check_endpoint);
            }
            cfg_.etcd_enabled = true;
        }
        read_string(etcd, "etcd", "prefix", cfg_.etcd_prefix, check_etcd_prefix);
        read_duration(etcd, "etcd", "lease_ttl", cfg_.etcd_lease_ttl_s, 2, 3600, "2s to 1h");
        read_string(etcd, "etcd", "username", cfg_.etcd_username, nullptr);
        read_string(etcd, "etcd", "password_file", cfg_.etcd_password_file, nullptr);
        read_string(etcd, "etcd", "ca_file", cfg_.etcd_ca_file, nullptr);
        read_string(etcd, "etcd", "cert_file", cfg_.etcd_cert_file, nullptr);
        read_string(etcd, "etcd", "key_file", cfg_.etcd_key_file, nullptr);
        if (const Value *v = member(etcd, "allow_exec")) {
            if (!v->IsBool()) fail("etcd.allow_exec", "expected true or false, got " + shown(*v));
            cfg_.etcd_allow_exec = v->GetBool();
        }
        if (cfg_.etcd_username.empty() != cfg_.etcd_password_file.empty())
            fail("etcd", "username and password_file go together (token auth); got only one");
    }

    [[noreturn]] void fail(const std::string &path, const std::string &problem) const {
        throw ConfigError(source_ + ": " + path + ": " + problem);
    }

    void check_keys(const Value &obj, const std::string &path,
                    const std::vector<std::string> &known) const {
        for (auto m = obj.MemberBegin(); m != obj.MemberEnd(); ++m) {
            std::string key(name_of(m));
            for (auto earlier = obj.MemberBegin(); earlier != m; ++earlier)
                if (name_of(earlier) == key)
                    fail(joined(path, key.c_str()), "duplicate key; each key may appear once");
            bool is_known = false;
            for (const auto &k : known)
                is_known = is_known || k == key;
            if (is_known) continue;
            std::string msg = "unknown key";
            std::string near = closest_match(key, known);
            if (!near.empty()) msg += "; did you mean \"" + near + "\"?";
            msg += " (known keys " +
                   (path.empty() ? std::string("at the top level") : "in " + path) + ":";
            for (size_t i = 0; i < known.size(); ++i)
                msg += (i ? ", " : " ") + known[i];
            fail(joined(path, key.c_str()), msg + ")");
        }
    }

    // nullptr when the key is absent or null: null means "keep the default", as in plugins.
    static const Value *member(const Value &obj, const char *key) {
        auto it = obj.FindMember(key);
        if (it == obj.MemberEnd() || it->value.IsNull()) return nullptr;
        return &it->value;
    }

    const Value *object(const Value &parent, const std::string &path, const char *key,
                        const std::vector<std::string> &known) const {
        const Value *v = member(parent, key);
        if (!v) return nullptr;
        std::string where = joined(path, key);
        if (!v->IsObject()) fail(where, "expected an object, got " + shown(*v));
        check_keys(*v, where, known);
        return v;
    }

    void read_string(const Value &obj, const std::string &path, const char *key,
                     std::string &target, Check check) const {
        const Value *v = member(obj, key);
        if (!v) return;
        if (!v->IsString()) fail(joined(path, key), "expected a string, got " + shown(*v));
        std::string value(v->GetString(), v->GetStringLength());
        if (check)
            if (auto problem = check(value)) fail(joined(path, key), *problem);
        target = std::move(value);
    }

    // A record count: a whole number, or a string parse_size understands ("4K").
    void read_count(const Value &obj, const std::string &path, const char *key, uint32_t &target,
                    RecordCountRange range) const {
        const Value *v = member(obj, key);
        if (!v) return;
        std::optional<uint64_t> n;
        if (v->IsUint64())
            n = v->GetUint64();
        else if (v->IsString())
            n = parse_size({v->GetString(), v->GetStringLength()});
        if (!n)
            fail(joined(path, key), "expected a whole number from " + std::to_string(range.min) +
                                        " to " + std::to_string(range.max) +
                                        " (or a string such as \"4K\"), got " + shown(*v));
        if (auto problem = check_record_count(*n, range)) fail(joined(path, key), *problem);
        target = static_cast<uint32_t>(*n);
    }

    // A duration: a number of seconds or a string such as "250ms", "5s", "1m".
    void read_duration(const Value &obj, const std::string &path, const char *key, double &target,
                       double min_s, double max_s, const char *range) const {
        const Value *v = member(obj, key);
        if (!v) return;
        std::optional<double> seconds;
        if (v->IsNumber())
            seconds = v->GetDouble();
        else if (v->IsString())
            seconds = parse_duration({v->GetString(), v->GetStringLength()});
        if (!seconds || *seconds < min_s || *seconds > max_s)
            fail(joined(path, key), std::string("expected a duration from ") + range +
                                        " such as \"5s\", \"250ms\" or a number of seconds, "
                                        "got " +
                                        shown(*v));
        target = *seconds;
    }

    // A whole list replaces the one before it (defaults, or the config file under -f).
    void read_plugins(const Value &root, const char *key, std::vector<PluginSpec> &target) const {
        const Value *list = member(root, key);
        if (!list) return;
        if (!list->IsArray())
            fail(key, R"(expected an array of plugin objects such as [{"plugin": "stdin"}], got )" +
                          shown(*list));
        std::vector<PluginSpec> specs;
        for (rapidjson::SizeType i = 0; i < list->Size(); ++i)
            specs.push_back(
                read_plugin((*list)[i], std::string(key) + "[" + std::to_string(i) + "]", key));
        target = std::move(specs);
    }

    // Keys beside "plugin" that the host reads itself instead of handing them to the plugin:
    // the component's id, an input's tag and schedule, a filter's or output's match, an output's
    // retry pace. A scheduled input's timezone, overlap and catch_up too (is_schedule_key); without
    // a schedule they are the plugin's (cron:V1 has a timezone of its own).
    static bool is_host_key(std::string_view key, std::string_view list) {
        const bool input = list == "inputs", output = list == "outputs";
        return key == "plugin" || key == "id" || (input && (key == "tag" || key == "schedule")) ||
               (!input && key == "match") ||
               (output && (key == "retry_initial" || key == "retry_max"));
    }

    static bool is_schedule_key(std::string_view key) {
        return key == "timezone" || key == "overlap" || key == "catch_up";
    }

    // "match": one glob or a list of globs.
    void read_match(const Value &entry, const std::string &where,
                    std::vector<std::string> &target) const {
        const Value *v = member(entry, "match");
        if (!v) return;
        const std::string expected =
            R"(expected a tag glob such as "app.*" or a list such as ["app.*", "db"], got )";
        if (v->IsString()) {
            target = {std::string(v->GetString(), v->GetStringLength())};
            return;
        }
        if (!v->IsArray() || v->Empty()) fail(where + ".match", expected + shown(*v));
        for (rapidjson::SizeType i = 0; i < v->Size(); ++i) {
            const Value &g = (*v)[i];
            if (!g.IsString())
                fail(where + ".match[" + std::to_string(i) + "]", expected + shown(g));
            target.emplace_back(g.GetString(), g.GetStringLength());
        }
    }

    // "schedule", "timezone", "overlap", "catch_up": checked here, so that a bad expression
    // or zone is a configuration error naming its JSON path.
    void read_schedule(const Value &entry, const std::string &where,
                       InputScheduleSpec &target) const {
        if (!member(entry, "schedule")) return; // timezone & co. are then the plugin's
        read_string(entry, where, "schedule", target.expression, nullptr);
        read_string(entry, where, "timezone", target.timezone, nullptr);
        read_string(entry, where, "overlap", target.overlap, nullptr);
        read_string(entry, where, "catch_up", target.catch_up, nullptr);
        if (target.expression.empty())
            fail(where + ".schedule", "empty; expected a cron expression such as "
                                      "\"*/5 * * * *\" or \"@every 1h\"");
        if (auto problem = check_input_schedule(target, where)) throw ConfigError(*problem);
    }

    PluginSpec read_plugin(const Value &entry, const std::string &where,
                           std::string_view list) const {
        const bool output = list == "outputs";
        const std::string form = R"({"plugin": "name:tag", ...the plugin's options})";
        if (!entry.IsObject()) fail(where, "expected an object " + form + ", got " + shown(entry));
        // Only duplicates are checked here: the plugin itself validates its option names.
        for (auto m = entry.MemberBegin(); m != entry.MemberEnd(); ++m)
            for (auto earlier = entry.MemberBegin(); earlier != m; ++earlier)
                if (name_of(earlier) == name_of(m))
                    fail(where + "." + std::string(name_of(m)),
                         "duplicate key; each key may appear once");

        auto plugin = entry.FindMember("plugin");
        if (plugin == entry.MemberEnd()) fail(where, "missing \"plugin\"; expected " + form);
        if (!plugin->value.IsString())
            fail(where + ".plugin",
                 "expected a string such as \"filereader:V1\", got " + shown(plugin->value));
        std::string name(plugin->value.GetString(), plugin->value.GetStringLength());
        if (auto problem = check_plugin_name(name)) fail(where + ".plugin", *problem);

        rapidjson::StringBuffer options;
        rapidjson::Writer<rapidjson::StringBuffer> writer(options);
        writer.StartObject();
        const bool scheduled = list == "inputs" && member(entry, "schedule");
        for (auto m = entry.MemberBegin(); m != entry.MemberEnd(); ++m) {
            if (is_host_key(name_of(m), list)) continue;
            if (scheduled && is_schedule_key(name_of(m))) continue;
            writer.Key(m->name.GetString(), m->name.GetStringLength());
            m->value.Accept(writer); // recursion bounded by max_json_depth
        }
        writer.EndObject();
        PluginSpec spec{name, {options.GetString(), options.GetSize()}, where};
        if (member(entry, "id")) {
            read_string(entry, where, "id", spec.id, check_component_id);
            spec.id_explicit = true;
        }
        if (list == "inputs") {
            read_string(entry, where, "tag", spec.tag, nullptr);
            read_schedule(entry, where, spec.schedule);
        } else
            read_match(entry, where, spec.match);
        if (output) {
            read_duration(entry, where, "retry_initial", spec.retry_initial_s, 0.001, 3600,
                          "1ms to 1h");
            read_duration(entry, where, "retry_max", spec.retry_max_s, 0.001, 86400, "1ms to 24h");
            if (spec.retry_max_s < spec.retry_initial_s)
                fail(where + ".retry_max", "must not be smaller than retry_initial");
        }
        return spec;
    }

    AgentConfig &cfg_;
    const std::string &source_;
};

} // namespace

void apply_config_json(AgentConfig &cfg, std::string_view text, const std::string &source) {
    rapidjson::Document doc = parse_json(text, source);
    // Read into a copy so that a document with an error leaves `cfg` untouched.
    AgentConfig updated = cfg;
    DocumentReader(updated, source).read(doc);
    cfg = std::move(updated);
}

} // namespace mafio
