#include "config/plugin_lists.hpp"

#include "config/load_config.hpp"
#include "config/value_rules.hpp"
#include "plugin/plugin_ref.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace mafio {

namespace {

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

std::vector<std::string_view> split_commas(std::string_view s) {
    std::vector<std::string_view> items;
    for (;;) {
        size_t comma = s.find(',');
        items.push_back(trimmed(s.substr(0, comma)));
        if (comma == std::string_view::npos) return items;
        s.remove_prefix(comma + 1);
    }
}

} // namespace

std::string plugin_base_name(std::string_view plugin) {
    return std::string(apply_alias(plugin.substr(0, plugin.find(':'))));
}

std::vector<PluginSpec> plugins_from_flag(const std::string &flag, std::string_view value,
                                          const std::vector<PluginSpec> &configured,
                                          bool allow_empty,
                                          const std::vector<PluginOptionFile> &option_files) {
    std::vector<PluginSpec> specs;
    if (trimmed(value).empty()) {
        if (!allow_empty)
            throw ConfigError(flag +
                              ": needs at least one plugin, as name or name:tag, "
                              "comma-separated (e.g. " +
                              flag + "=stdin)");
        return specs;
    }
    std::vector<std::string_view> names = split_commas(value);
    for (size_t i = 0; i < names.size(); ++i) {
        std::string name(names[i]);
        if (name.empty())
            throw ConfigError(flag + ": empty plugin name at position " + std::to_string(i + 1) +
                              " of " + quoted(value) +
                              "; expected plugin names as name or name:tag, comma-separated");
        if (auto problem = check_plugin_name(name)) throw ConfigError(flag + ": " + *problem);

        // The whole configured entry (options, retry pace and whatever else a PluginSpec holds)
        // is kept: the flag names a plugin, so only the plugin changes.
        PluginSpec spec;
        if (i < configured.size() &&
            plugin_base_name(configured[i].plugin) == plugin_base_name(name)) {
            spec = configured[i];
        } else {
            spec.options_json = "{}";
            spec.where = flag + "[" + std::to_string(i) + "]";
        }
        if (const PluginOptionFile *file = find_plugin_options(option_files, name, flag))
            spec.options_json = file->options_json;
        spec.plugin = std::move(name);
        specs.push_back(std::move(spec));
    }
    return specs;
}

std::string with_string_option(const std::string &options_json, const char *key,
                               const std::string &value) {
    rapidjson::Document doc;
    doc.Parse(options_json.c_str(), options_json.size());
    if (doc.HasParseError() || !doc.IsObject()) doc.SetObject();
    doc.RemoveMember(key);
    auto &alloc = doc.GetAllocator();
    doc.AddMember(
        rapidjson::Value(key, alloc),
        rapidjson::Value(value.c_str(), static_cast<rapidjson::SizeType>(value.size()), alloc),
        alloc);
    rapidjson::StringBuffer out;
    rapidjson::Writer<rapidjson::StringBuffer> writer(out);
    doc.Accept(writer);
    return {out.GetString(), out.GetSize()};
}

} // namespace mafio
