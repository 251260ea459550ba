#include "plugin/plugin_probe.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace mafio {

namespace {

struct Field {
    const char *key;
    std::string PluginProbe::*member;
};
constexpr Field kFields[] = {
    {"name", &PluginProbe::name},       {"tag", &PluginProbe::tag},
    {"path", &PluginProbe::path},       {"kind", &PluginProbe::kind},
    {"version", &PluginProbe::version}, {"description", &PluginProbe::description},
    {"abi", &PluginProbe::abi},         {"refused", &PluginProbe::refused},
};

} // namespace

std::string probe_to_json(const PluginProbe &p) {
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    w.StartObject();
    for (const auto &f : kFields) {
        w.Key(f.key);
        const std::string &v = p.*f.member;
        w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
    }
    w.Key("options_schema");
    if (p.options_schema)
        w.String(p.options_schema->data(),
                 static_cast<rapidjson::SizeType>(p.options_schema->size()));
    else
        w.Null();
    w.EndObject();
    return sb.GetString();
}

std::optional<PluginProbe> probe_from_json(std::string_view line) {
    rapidjson::Document d;
    d.Parse<rapidjson::kParseIterativeFlag>(line.data(), line.size());
    if (d.HasParseError() || !d.IsObject()) return std::nullopt;
    PluginProbe p;
    for (const auto &f : kFields) {
        // HasMember/operator[]: clang in C++20 finds RapidJSON's iterator comparison ambiguous.
        if (!d.HasMember(f.key) || !d[f.key].IsString()) return std::nullopt;
        const auto &v = d[f.key];
        p.*f.member = std::string(v.GetString(), v.GetStringLength());
    }
    if (d.HasMember("options_schema") && d["options_schema"].IsString())
        p.options_schema =
            std::string(d["options_schema"].GetString(), d["options_schema"].GetStringLength());
    return p;
}

} // namespace mafio
