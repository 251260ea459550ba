#include "config/running_config.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace mafio {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void str(Writer &w, const char *key, const std::string &v) {
    w.Key(key);
    w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
}

void specs(Writer &w, const char *key, const std::vector<PluginSpec> &list) {
    w.Key(key);
    w.StartArray();
    for (const auto &s : list) {
        w.StartObject();
        str(w, "id", s.id);
        str(w, "plugin", s.plugin);
        str(w, "options", s.options_json.empty() ? "{}" : s.options_json);
        str(w, "where", s.where);
        str(w, "tag", s.tag);
        w.Key("match");
        w.StartArray();
        for (const auto &g : s.match)
            w.String(g.c_str());
        w.EndArray();
        w.Key("retry_initial");
        w.Double(s.retry_initial_s);
        w.Key("retry_max");
        w.Double(s.retry_max_s);
        if (!s.schedule.expression.empty()) {
            str(w, "schedule", s.schedule.expression);
            str(w, "timezone", s.schedule.timezone);
            str(w, "overlap", s.schedule.overlap);
            str(w, "catch_up", s.schedule.catch_up);
        }
        w.EndObject();
    }
    w.EndArray();
}

std::string text(const rapidjson::Value &o, const char *key) {
    auto m = o.FindMember(key);
    return m != o.MemberEnd() && m->value.IsString()
               ? std::string(m->value.GetString(), m->value.GetStringLength())
               : std::string();
}

double number(const rapidjson::Value &o, const char *key) {
    auto m = o.FindMember(key);
    return m != o.MemberEnd() && m->value.IsNumber() ? m->value.GetDouble() : 0;
}

bool read_specs(const rapidjson::Value &doc, const char *key, std::vector<PluginSpec> &out) {
    auto list = doc.FindMember(key);
    if (list == doc.MemberEnd() || !list->value.IsArray()) return false;
    for (const auto &e : list->value.GetArray()) {
        if (!e.IsObject()) return false;
        PluginSpec s;
        s.id = text(e, "id");
        s.id_explicit = true;
        s.plugin = text(e, "plugin");
        s.options_json = text(e, "options");
        s.where = text(e, "where");
        s.tag = text(e, "tag");
        if (auto m = e.FindMember("match"); m != e.MemberEnd() && m->value.IsArray())
            for (const auto &g : m->value.GetArray())
                if (g.IsString()) s.match.emplace_back(g.GetString(), g.GetStringLength());
        s.retry_initial_s = number(e, "retry_initial");
        s.retry_max_s = number(e, "retry_max");
        s.schedule.expression = text(e, "schedule");
        if (!s.schedule.expression.empty()) {
            s.schedule.timezone = text(e, "timezone");
            s.schedule.overlap = text(e, "overlap");
            s.schedule.catch_up = text(e, "catch_up");
        }
        out.push_back(std::move(s));
    }
    return true;
}

} // namespace

std::string running_config_path(const std::string &data_dir) {
    return (std::filesystem::path(data_dir) / "running-config.json").string();
}

std::string running_config_json(const AgentConfig &cfg) {
    rapidjson::StringBuffer buf;
    Writer w(buf);
    w.StartObject();
    w.Key("version");
    w.Int(1);
    str(w, "agent_id", cfg.agent_id);
    str(w, "agent_group", cfg.agent_group);
    str(w, "plugins_dir", cfg.plugins_dir);
    str(w, "data_dir", cfg.data_dir);
    str(w, "log_level", cfg.log_level);
    str(w, "http_address", cfg.http_address);
    str(w, "influxdb_addr", cfg.influxdb_addr);
    w.Key("read_channel_size");
    w.Uint(cfg.read_channel_size);
    w.Key("write_channel_size");
    w.Uint(cfg.write_channel_size);
    w.Key("write_bulk_size");
    w.Uint(cfg.write_bulk_size);
    w.Key("shutdown_grace");
    w.Double(cfg.shutdown_grace_s);
    w.Key("checkpoint_interval");
    w.Double(cfg.checkpoint_interval_s);
    specs(w, "inputs", cfg.inputs);
    specs(w, "filters", cfg.filters);
    specs(w, "outputs", cfg.outputs);
    w.EndObject();
    return {buf.GetString(), buf.GetSize()};
}

std::string store_running_config(const AgentConfig &cfg) {
    if (cfg.data_dir.empty()) return {};
    std::error_code ec;
    std::filesystem::create_directories(cfg.data_dir, ec);
    const std::string path = running_config_path(cfg.data_dir), tmp = path + ".tmp";
    const std::string body = running_config_json(cfg);
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return "cannot write " + tmp + ": " + std::strerror(errno);
    bool ok = ::write(fd, body.data(), body.size()) == static_cast<ssize_t>(body.size()) &&
              ::fsync(fd) == 0;
    const int err = errno;
    ::close(fd);
    if (ok && ::rename(tmp.c_str(), path.c_str()) == 0) return {};
    ::unlink(tmp.c_str());
    return "cannot write " + path + ": " + std::strerror(ok ? errno : err);
}

std::optional<AgentConfig> read_running_config(const std::string &data_dir, std::string &error) {
    const std::string path = running_config_path(data_dir);
    std::ifstream in(path);
    if (!in) {
        error = "no configuration of a running agent at " + path +
                " (is an agent running with this data_dir?)";
        return std::nullopt;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string body = ss.str();
    rapidjson::Document doc;
    doc.Parse(body.c_str(), body.size());
    AgentConfig cfg;
    if (doc.HasParseError() || !doc.IsObject() || number(doc, "version") != 1 ||
        !read_specs(doc, "inputs", cfg.inputs) || !read_specs(doc, "filters", cfg.filters) ||
        !read_specs(doc, "outputs", cfg.outputs)) {
        error = path + " is not a running configuration this version of mafio wrote";
        return std::nullopt;
    }
    cfg.agent_id = text(doc, "agent_id");
    cfg.agent_group = text(doc, "agent_group");
    cfg.plugins_dir = text(doc, "plugins_dir");
    cfg.data_dir = text(doc, "data_dir");
    cfg.log_level = text(doc, "log_level");
    cfg.http_address = text(doc, "http_address");
    cfg.influxdb_addr = text(doc, "influxdb_addr");
    cfg.read_channel_size = static_cast<uint32_t>(number(doc, "read_channel_size"));
    cfg.write_channel_size = static_cast<uint32_t>(number(doc, "write_channel_size"));
    cfg.write_bulk_size = static_cast<uint32_t>(number(doc, "write_bulk_size"));
    cfg.shutdown_grace_s = number(doc, "shutdown_grace");
    cfg.checkpoint_interval_s = number(doc, "checkpoint_interval");
    return cfg;
}

} // namespace mafio
