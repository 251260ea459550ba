#include "discovery/agent_record.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace mafio {

std::string agent_record_json(const AgentRecord &r) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    auto field = [&](const char *k, const std::string &v) {
        w.Key(k);
        w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
    };
    w.StartObject();
    field("id", r.id);
    field("group", r.group);
    field("hostname", r.hostname);
    w.Key("pid");
    w.Int64(r.pid);
    field("version", r.version);
    field("abi_version", r.abi_version);
    field("http_address", r.http_address);
    field("started_at", r.started_at);
    w.Key("components");
    w.StartArray();
    for (const auto &[id, plugin] : r.components) {
        w.StartObject();
        field("id", id);
        field("plugin", plugin);
        w.EndObject();
    }
    w.EndArray();
    field("config_revision", r.config_revision);
    w.Key("central_config_revision");
    w.Int64(r.central_revision);
    field("health", r.health);
    w.EndObject();
    return {buf.GetString(), buf.GetSize()};
}

} // namespace mafio
