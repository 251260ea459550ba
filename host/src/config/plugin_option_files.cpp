#include "config/plugin_option_files.hpp"

#include "config/load_config.hpp"
#include "config/parse_json.hpp"
#include "config/plugin_lists.hpp"
#include "config/read_config_file.hpp"
#include "config/value_rules.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace mafio {

namespace {

constexpr std::string_view name_key = "@pluginName";

const char *const example = R"({"@pluginName": "filereader:V1", "path": "/var/log/app.log"})";

// "filereader:V1" for "file:V1": names compared as the registry would read them.
std::string canonical(std::string_view plugin) {
    size_t colon = plugin.find(':');
    std::string out = plugin_base_name(plugin);
    if (colon != std::string_view::npos) out += plugin.substr(colon);
    return out;
}

} // namespace

PluginOptionFile read_plugin_option_file(const std::string &path) {
    std::string text = read_config_file(path);
    rapidjson::Document doc = parse_json(text, path);
    if (!doc.IsObject())
        throw ConfigError(path + ": expected a JSON object of plugin options such as " +
                          std::string(example));

    PluginOptionFile file;
    file.path = path;
    bool named = false;
    rapidjson::StringBuffer options;
    rapidjson::Writer<rapidjson::StringBuffer> writer(options);
    writer.StartObject();
    for (auto m = doc.MemberBegin(); m != doc.MemberEnd(); ++m) {
        std::string_view key(m->name.GetString(), m->name.GetStringLength());
        for (auto earlier = doc.MemberBegin(); earlier != m; ++earlier)
            if (std::string_view(earlier->name.GetString(), earlier->name.GetStringLength()) == key)
                throw ConfigError(path + ": " + std::string(key) +
                                  ": duplicate key; each key may appear once");
        if (key == name_key) {
            if (!m->value.IsString())
                throw ConfigError(path + ": @pluginName: expected the plugin's name as a string "
                                         "such as \"filereader:V1\"");
            file.plugin.assign(m->value.GetString(), m->value.GetStringLength());
            if (auto problem = check_plugin_name(file.plugin))
                throw ConfigError(path + ": @pluginName: " + *problem);
            named = true;
            continue;
        }
        // "@" marks the original's bookkeeping keys; anything else of that form is a typo of
        // @pluginName rather than an option of the plugin.
        if (!key.empty() && key.front() == '@')
            throw ConfigError(path + ": " + std::string(key) +
                              ": unknown key; the only @ key is @pluginName, naming the plugin "
                              "these options are for");
        writer.Key(m->name.GetString(), m->name.GetStringLength());
        m->value.Accept(writer); // recursion bounded by max_json_depth
    }
    writer.EndObject();
    if (!named)
        throw ConfigError(path +
                          ": missing \"@pluginName\", the plugin these options are for; "
                          "expected an object such as " +
                          std::string(example));
    file.options_json.assign(options.GetString(), options.GetSize());
    return file;
}

void add_plugin_option_file(std::vector<PluginOptionFile> &files, PluginOptionFile added) {
    for (const auto &f : files)
        if (canonical(f.plugin) == canonical(added.plugin))
            throw ConfigError(added.path + ": @pluginName \"" + added.plugin +
                              "\" is also named by " + f.path +
                              "; each plugin takes its options from one file");
    files.push_back(std::move(added));
}

const PluginOptionFile *find_plugin_options(const std::vector<PluginOptionFile> &files,
                                            std::string_view plugin, const std::string &where) {
    std::string wanted = canonical(plugin);
    std::string base = plugin_base_name(plugin);
    std::vector<const PluginOptionFile *> same_plugin;
    for (const auto &f : files) {
        if (canonical(f.plugin) == wanted) return &f;
        if (plugin_base_name(f.plugin) == base) same_plugin.push_back(&f);
    }
    if (same_plugin.empty()) return nullptr;
    if (same_plugin.size() == 1) return same_plugin.front();
    std::string msg = where + ": \"" + std::string(plugin) +
                      "\" has no plugins_config_paths file of its own and several of the same "
                      "plugin (";
    for (size_t i = 0; i < same_plugin.size(); ++i)
        msg += (i ? ", " : "") + same_plugin[i]->path + ": " + same_plugin[i]->plugin;
    throw ConfigError(msg + "); add one whose @pluginName is \"" + std::string(plugin) +
                      "\", or name one of those tags");
}

} // namespace mafio
