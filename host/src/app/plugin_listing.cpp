#include "app/plugin_listing.hpp"

#include "plugin/loader.hpp"

#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

namespace mafio {

namespace {
const char *or_dash(const char *s) {
    return s && *s ? s : "-";
}
} // namespace

std::string list_plugins(const Registry &registry) {
    std::string out;
    auto files = registry.scan();
    for (const auto &f : files) {
        try {
            auto p = load_plugin(f, 0);
            const auto &d = p->desc();
            out += fmt::format("{}:{}\n  kind:        {}\n  version:     {}\n  description: {}\n"
                               "  path:        {}\n",
                               f.name, f.tag, kind_name(p->kind()), or_dash(d.version),
                               or_dash(d.description), f.path);
        } catch (const PluginError &e) {
            out += fmt::format("{}:{}\n  refused:     {}\n", f.name, f.tag, e.what());
        }
    }
    if (files.empty()) {
        std::string dirs;
        for (const auto &d : registry.dirs())
            dirs += " " + d;
        out += fmt::format("no plugins found in:{}\n", dirs);
    }
    return out;
}

std::string describe_plugin(const Registry &registry, const std::string &ref_text) {
    PluginFile f = registry.find(parse_plugin_ref(ref_text));
    auto p = load_plugin(f, 0);
    const auto &d = p->desc();
    std::string out =
        fmt::format("{}:{} ({} plugin, version {})\n{}\n\npath: {}\n", f.name, f.tag,
                    kind_name(p->kind()), or_dash(d.version), or_dash(d.description), f.path);
    if (!d.options_schema) return out + "\noptions: none declared\n";
    rapidjson::Document schema;
    schema.Parse<rapidjson::kParseIterativeFlag>(d.options_schema); // the plugin's text
    if (schema.HasParseError())
        return out + "\noptions schema (not valid JSON):\n" + d.options_schema + "\n";
    out += "\noptions:\n";
    if (schema.IsObject() && schema.HasMember("properties") && schema["properties"].IsObject()) {
        // By index: clang in C++20 finds RapidJSON's iterator comparison ambiguous.
        const auto &props = schema["properties"];
        for (rapidjson::SizeType i = 0; i < props.MemberCount(); ++i) {
            const auto &m = *(props.MemberBegin() + i);
            const auto &prop = m.value;
            std::string type =
                prop.HasMember("type") && prop["type"].IsString() ? prop["type"].GetString() : "";
            std::string desc = prop.HasMember("description") && prop["description"].IsString()
                                   ? prop["description"].GetString()
                                   : "";
            std::string def;
            if (prop.HasMember("default")) {
                rapidjson::StringBuffer sb;
                rapidjson::Writer<rapidjson::StringBuffer> w(sb);
                prop["default"].Accept(w);
                def = std::string(" (default ") + sb.GetString() + ")";
            }
            out += fmt::format("  {:<18} {:<8} {}{}\n", m.name.GetString(), type, desc, def);
        }
    }
    return out;
}

} // namespace mafio
