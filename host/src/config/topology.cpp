#include "config/topology.hpp"

#include "config/load_config.hpp"
#include "util/quoted.hpp"

#include <rapidjson/document.h>

#include <fnmatch.h>

#include <cstdio>

#include <map>
#include <set>

namespace mafio {

namespace {

constexpr size_t max_id_bytes = 64;
// Room left for "<name>-" in a derived id; the rest is the destination's tail plus a hash.
constexpr size_t max_destination_bytes = 40;

bool id_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

// Lower case, every run of other bytes one '_', no '_' at either end.
std::string id_safe(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (id_char(c) && c != '-') {
            out.push_back(c);
        } else if (!out.empty() && out.back() != '_') {
            out.push_back('_');
        }
    }
    while (!out.empty() && out.back() == '_')
        out.pop_back();
    return out;
}

uint32_t fnv1a32(std::string_view s) {
    uint32_t h = 2166136261u;
    for (unsigned char c : s)
        h = (h ^ c) * 16777619u;
    return h;
}

// A long destination keeps its end (a file name says more than /var/log) and gains a hash of
// the whole, so two long paths that end alike still get different ids.
std::string shortened(const std::string &safe, std::string_view original) {
    if (safe.size() <= max_destination_bytes) return safe;
    char hash[9];
    std::snprintf(hash, sizeof hash, "%08x", fnv1a32(original));
    std::string tail = safe.substr(safe.size() - (max_destination_bytes - 9));
    while (!tail.empty() && tail.front() == '_')
        tail.erase(0, 1);
    return tail + "_" + hash;
}

// A URL's user:password@ never goes into an id (ids are in every log line and metric label).
std::string without_userinfo(std::string s) {
    for (size_t pos = s.find("://"); pos != std::string::npos; pos = s.find("://", pos)) {
        pos += 3;
        const size_t end = s.find_first_of("/?#,", pos);
        const size_t at = s.rfind('@', end == std::string::npos ? s.size() : end);
        if (at != std::string::npos && at >= pos && (end == std::string::npos || at < end))
            s.erase(pos, at + 1 - pos);
    }
    return s;
}

std::string destination_of(const std::string &options_json) {
    rapidjson::Document doc;
    doc.Parse(options_json.c_str(), options_json.size());
    if (doc.HasParseError() || !doc.IsObject()) return {};
    for (const auto &key : destination_keys()) {
        auto it = doc.FindMember(key.c_str());
        if (it == doc.MemberEnd()) continue;
        const auto &v = it->value;
        if (v.IsString()) return {v.GetString(), v.GetStringLength()};
        if (v.IsArray()) {
            std::string joined;
            for (const auto &e : v.GetArray())
                if (e.IsString())
                    joined += (joined.empty() ? "" : ",") + std::string(e.GetString());
            if (!joined.empty()) return joined;
        }
        if (v.IsNumber()) return std::to_string(v.GetInt64());
    }
    return {};
}

void check_globs(const std::vector<std::string> &globs, const std::string &where) {
    for (size_t i = 0; i < globs.size(); ++i) {
        const std::string &g = globs[i];
        if (g.empty())
            throw ConfigError(where + ".match[" + std::to_string(i) +
                              "]: empty glob; expected a tag or a glob such as \"app.*\"");
        for (char c : g)
            if (static_cast<unsigned char>(c) < 0x20)
                throw ConfigError(where + ".match[" + std::to_string(i) +
                                  "]: control character in glob " + quoted(g));
    }
}

} // namespace

std::optional<std::string> check_component_id(std::string_view id) {
    if (id.empty()) return "empty id; expected [a-z0-9_-]+, e.g. \"app_logs\"";
    if (id.size() > max_id_bytes)
        return "id " + quoted(id) + " is longer than " + std::to_string(max_id_bytes) +
               " bytes; expected [a-z0-9_-]+ of at most " + std::to_string(max_id_bytes);
    for (char c : id)
        if (!id_char(c))
            return "id " + quoted(id) +
                   " has a character outside [a-z0-9_-]; expected lower-case letters, digits, "
                   "'_' and '-', e.g. \"app_logs\"";
    return std::nullopt;
}

const std::vector<std::string> &destination_keys() {
    static const std::vector<std::string> keys = {
        "path", "paths", "file", "url", "urls", "address", "addr", "endpoint", "endpoints", "host",
        "command", "queue", "exchange", "topic", "directory", "dir", "interface", "ports",
        // 0.4's network, capture and job plugins
        "listen", "interfaces", "read_file", "rmq_address", "argv"};
    return keys;
}

std::string derive_component_id(const PluginSpec &spec) {
    std::string name = spec.plugin.substr(0, spec.plugin.find(':'));
    if (name == "file") name = "filereader"; // the alias names the same component
    std::string dest = without_userinfo(destination_of(spec.options_json));
    std::string safe = shortened(id_safe(dest), dest);
    return safe.empty() ? name : name + "-" + safe;
}

void assign_component_ids(AgentConfig &cfg) {
    std::map<std::string, std::string> explicit_ids; // id -> where
    for (auto *list : {&cfg.inputs, &cfg.filters, &cfg.outputs})
        for (auto &spec : *list) {
            if (!spec.id_explicit) continue;
            if (auto problem = check_component_id(spec.id))
                throw ConfigError(spec.where + ".id: " + *problem);
            auto [it, fresh] = explicit_ids.emplace(spec.id, spec.where);
            if (!fresh)
                throw ConfigError(spec.where + ".id: " + quoted(spec.id) + " is also the id of " +
                                  it->second +
                                  "; ids must be unique across inputs, filters and "
                                  "outputs");
        }
    std::set<std::string> taken;
    for (const auto &[id, where] : explicit_ids)
        taken.insert(id);
    for (auto *list : {&cfg.inputs, &cfg.filters, &cfg.outputs})
        for (auto &spec : *list) {
            if (spec.id_explicit) continue;
            std::string base = derive_component_id(spec);
            std::string id = base;
            for (int n = 2; taken.count(id); ++n)
                id = base + "-" + std::to_string(n);
            spec.id = id;
            taken.insert(id);
        }
    for (auto &spec : cfg.inputs)
        if (!spec.tag.empty())
            for (char c : spec.tag)
                if (static_cast<unsigned char>(c) < 0x21 || c == '*' || c == '?' || c == '[')
                    throw ConfigError(spec.where + ".tag: " + quoted(spec.tag) +
                                      " has a space, control or glob character; expected a "
                                      "word such as \"app.web\"");
    for (auto *list : {&cfg.filters, &cfg.outputs})
        for (auto &spec : *list)
            check_globs(spec.match, spec.where);
}

bool tag_matches(const std::vector<std::string> &globs, const std::string &tag) {
    if (globs.empty()) return true;
    for (const auto &g : globs)
        if (::fnmatch(g.c_str(), tag.c_str(), 0) == 0) return true;
    return false;
}

} // namespace mafio
