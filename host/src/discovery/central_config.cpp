#include "discovery/central_config.hpp"

#include "config/load_config.hpp"
#include "config/parse_json.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace mafio {

const std::vector<std::string> &central_keys() {
    static const std::vector<std::string> keys = {"inputs",
                                                  "filters",
                                                  "outputs",
                                                  "channels",
                                                  "health",
                                                  "shutdown_grace",
                                                  "checkpoint_interval",
                                                  "log_level"};
    return keys;
}

namespace {

// Plugins that run programs: what a compromised etcd must not be able to start everywhere.
bool runs_programs(const std::string &plugin) {
    const std::string name = plugin.substr(0, plugin.find(':'));
    return name == "command" || name == "exec";
}

std::string keys_list() {
    std::string out;
    for (const auto &k : central_keys())
        out += (out.empty() ? "" : ", ") + k;
    return out;
}

} // namespace

void check_central_policy(const std::string &text, const std::string &source, bool allow_exec) {
    rapidjson::Document doc = parse_json(text, source);
    if (!doc.IsObject())
        throw ConfigError(source + ": expected a JSON object such as " +
                          R"({"inputs": [{"plugin": "stdin"}]})");
    const auto &keys = central_keys();
    for (auto m = doc.MemberBegin(); m != doc.MemberEnd(); ++m) {
        const std::string key(m->name.GetString(), m->name.GetStringLength());
        if (std::find(keys.begin(), keys.end(), key) == keys.end())
            throw ConfigError(source + ": " + key +
                              ": central configuration may not set this key; it may set " +
                              keys_list() + " (set " + key + " in the local configuration)");
    }
    if (allow_exec) return;
    for (const char *list : {"inputs", "filters", "outputs"}) {
        auto it = doc.FindMember(list);
        if (it == doc.MemberEnd() || !it->value.IsArray()) continue;
        for (rapidjson::SizeType i = 0; i < it->value.Size(); ++i) {
            const auto &entry = it->value[i];
            if (!entry.IsObject()) continue;
            auto p = entry.FindMember("plugin");
            if (p == entry.MemberEnd() || !p->value.IsString()) continue;
            const std::string plugin = p->value.GetString();
            if (runs_programs(plugin))
                throw ConfigError(source + ": " + list + "[" + std::to_string(i) + "].plugin: \"" +
                                  plugin +
                                  "\" runs programs and is refused from etcd; the local "
                                  "configuration must set etcd.allow_exec: true to allow it");
        }
    }
}

void apply_central(AgentConfig &local, const CentralConfig &central,
                   const std::string &group_source, const std::string &agent_source) {
    for (const auto &[doc, key] :
         {std::pair{&central.group, &group_source}, {&central.agent, &agent_source}}) {
        if (!*doc) continue;
        const std::string &source = *key;
        check_central_policy(**doc, source, local.etcd_allow_exec);
        apply_config_json(local, **doc, source);
    }
}

std::string central_cache_path(const std::string &data_dir) {
    return data_dir + "/etcd/central-config.json";
}

std::optional<CentralConfig> load_central_cache(const std::string &data_dir, std::string &problem) {
    problem.clear();
    const std::string path = central_cache_path(data_dir);
    std::ifstream in(path);
    if (!in) return std::nullopt;
    std::stringstream text;
    text << in.rdbuf();
    rapidjson::Document doc;
    const std::string s = text.str();
    doc.Parse(s.data(), s.size());
    if (doc.HasParseError() || !doc.IsObject()) {
        problem = path + " is not the JSON mafio writes there; ignored";
        return std::nullopt;
    }
    CentralConfig c;
    for (const auto &[name, target] : {std::pair{"group", &c.group}, {"agent", &c.agent}}) {
        auto it = doc.FindMember(name);
        if (it != doc.MemberEnd() && it->value.IsString())
            *target = std::string(it->value.GetString(), it->value.GetStringLength());
    }
    if (auto it = doc.FindMember("revision"); it != doc.MemberEnd() && it->value.IsInt64())
        c.revision = it->value.GetInt64();
    return c;
}

std::string store_central_cache(const std::string &data_dir, const CentralConfig &c) {
    const std::string path = central_cache_path(data_dir);
    std::error_code ec;
    std::filesystem::create_directories(data_dir + "/etcd", ec);
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    w.StartObject();
    w.Key("revision");
    w.Int64(c.revision);
    for (const auto &[name, doc] : {std::pair{"group", &c.group}, {"agent", &c.agent}}) {
        w.Key(name);
        if (*doc)
            w.String((*doc)->data(), static_cast<rapidjson::SizeType>((*doc)->size()));
        else
            w.Null();
    }
    w.EndObject();
    // Temp file and rename: a crash leaves the old cache or the new one, never half of one.
    const std::string tmp = path + ".tmp";
    FILE *f = std::fopen(tmp.c_str(), "w");
    if (!f) return "cannot write " + tmp + ": " + std::strerror(errno);
    bool ok = std::fwrite(buf.GetString(), 1, buf.GetSize(), f) == buf.GetSize();
    ok = std::fflush(f) == 0 && ok;
    ok = ::fsync(fileno(f)) == 0 && ok;
    ok = std::fclose(f) == 0 && ok;
    if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0)
        return "cannot store " + path + ": " + std::strerror(errno);
    return {};
}

} // namespace mafio
