#include "plugin/plugin_ref.hpp"

#include "util/quoted.hpp"

#include <cctype>

namespace mafio {

namespace {

bool all_of(std::string_view s, bool (*ok)(char)) {
    if (s.empty() || s.size() > max_plugin_name_length) return false;
    for (char c : s)
        if (!ok(c)) return false;
    return true;
}

bool name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}
bool tag_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
}

} // namespace

bool valid_plugin_name(std::string_view name) {
    return all_of(name, name_char);
}
bool valid_plugin_tag(std::string_view tag) {
    return all_of(tag, tag_char);
}

std::string_view apply_alias(std::string_view name) {
    if (name == "file") return "filereader";
    return name;
}

PluginRef parse_plugin_ref(std::string_view text) {
    std::string_view name = text, tag;
    if (auto colon = text.find(':'); colon != std::string_view::npos) {
        name = text.substr(0, colon);
        tag = text.substr(colon + 1);
        if (!valid_plugin_tag(tag))
            throw PluginError("invalid plugin tag in " + quoted(text) +
                              ": a tag is 1 to 64 of [A-Za-z0-9_.], e.g. filereader:V2");
    }
    if (!valid_plugin_name(name))
        throw PluginError("invalid plugin name " + quoted(text) +
                          ": expected name or name:tag, where name is 1 to 64 of [a-z0-9_] "
                          "and tag of [A-Za-z0-9_.], e.g. filereader or filereader:V1");
    return PluginRef{std::string(apply_alias(name)), std::string(tag)};
}

bool tag_less(std::string_view a, std::string_view b) {
    size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        bool da = std::isdigit(static_cast<unsigned char>(a[i]));
        bool db = std::isdigit(static_cast<unsigned char>(b[j]));
        if (da && db) {
            // Compare digit runs as numbers: skip leading zeros, then longer is larger.
            size_t ia = i, jb = j;
            while (ia < a.size() && a[ia] == '0')
                ++ia;
            while (jb < b.size() && b[jb] == '0')
                ++jb;
            size_t ea = ia, eb = jb;
            while (ea < a.size() && std::isdigit(static_cast<unsigned char>(a[ea])))
                ++ea;
            while (eb < b.size() && std::isdigit(static_cast<unsigned char>(b[eb])))
                ++eb;
            if (ea - ia != eb - jb) return ea - ia < eb - jb;
            if (auto c = a.substr(ia, ea - ia).compare(b.substr(jb, eb - jb)); c != 0) return c < 0;
            i = ea;
            j = eb;
        } else {
            if (a[i] != b[j]) return a[i] < b[j];
            ++i;
            ++j;
        }
    }
    if ((a.size() - i) != (b.size() - j)) return a.size() - i < b.size() - j;
    return a < b;
}

bool parse_plugin_file_name(std::string_view file_name, PluginRef &out) {
    constexpr std::string_view suffix = ".so";
    if (file_name.size() <= suffix.size() ||
        file_name.substr(file_name.size() - suffix.size()) != suffix)
        return false;
    std::string_view stem = file_name.substr(0, file_name.size() - suffix.size());
    size_t dash = stem.find('-');
    if (dash == std::string_view::npos) return false;
    std::string_view name = stem.substr(0, dash), tag = stem.substr(dash + 1);
    if (!valid_plugin_name(name) || !valid_plugin_tag(tag)) return false;
    out = PluginRef{std::string(name), std::string(tag)};
    return true;
}

} // namespace mafio
