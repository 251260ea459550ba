#include "util/redact.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>
#include <vector>

namespace mafio {

namespace {

constexpr std::string_view mask = "<redacted>";

bool secret_name(std::string_view name) {
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    static constexpr std::array<std::string_view, 6> words = {"password", "passwd", "token",
                                                              "secret",   "key",    "credential"};
    return std::any_of(words.begin(), words.end(),
                       [&](std::string_view w) { return lower.find(w) != std::string::npos; });
}

// scheme://user:password@host... -> scheme://user:<redacted>@host...
std::string without_url_password(std::string s) {
    const size_t scheme = s.find("://");
    if (scheme == std::string::npos) return s;
    const size_t start = scheme + 3;
    const size_t end = s.find_first_of("/?#", start);
    const size_t at = s.rfind('@', end == std::string::npos ? s.size() : end);
    if (at == std::string::npos || at < start) return s;
    const size_t colon = s.find(':', start);
    if (colon == std::string::npos || colon > at) return s;
    return s.replace(colon + 1, at - colon - 1, mask);
}

// The top-level option names the schema marks secret.
std::vector<std::string> schema_secrets(const char *schema) {
    std::vector<std::string> out;
    if (!schema) return out;
    rapidjson::Document doc;
    doc.Parse(schema);
    if (doc.HasParseError() || !doc.IsObject()) return out;
    auto props = doc.FindMember("properties");
    if (props == doc.MemberEnd() || !props->value.IsObject()) return out;
    for (auto p = props->value.MemberBegin(); p != props->value.MemberEnd(); ++p) {
        if (!p->value.IsObject()) continue;
        for (const char *flag : {"secret", "writeOnly"}) {
            auto f = p->value.FindMember(flag);
            if (f != p->value.MemberEnd() && f->value.IsBool() && f->value.GetBool())
                out.emplace_back(p->name.GetString(), p->name.GetStringLength());
        }
    }
    return out;
}

void redact(rapidjson::Value &v, rapidjson::Document::AllocatorType &alloc,
            const std::vector<std::string> &marked = {}) {
    if (v.IsObject()) {
        for (auto m = v.MemberBegin(); m != v.MemberEnd(); ++m) {
            const std::string_view name(m->name.GetString(), m->name.GetStringLength());
            if (std::find(marked.begin(), marked.end(), name) != marked.end()) {
                m->value.SetString(mask.data(), static_cast<rapidjson::SizeType>(mask.size()),
                                   alloc);
                continue;
            }
            if (secret_name(name) && !m->value.IsObject()) {
                m->value.SetString(mask.data(), static_cast<rapidjson::SizeType>(mask.size()),
                                   alloc);
                continue;
            }
            redact(m->value, alloc);
        }
    } else if (v.IsArray()) {
        for (auto &e : v.GetArray())
            redact(e, alloc);
    } else if (v.IsString()) {
        std::string s = without_url_password({v.GetString(), v.GetStringLength()});
        if (s.size() != v.GetStringLength() || s.compare(0, s.size(), v.GetString()) != 0)
            v.SetString(s.c_str(), static_cast<rapidjson::SizeType>(s.size()), alloc);
    }
}

} // namespace

std::string redacted_options(const std::string &options_json, const char *options_schema) {
    rapidjson::Document doc;
    doc.Parse(options_json.c_str(), options_json.size());
    if (doc.HasParseError() || !doc.IsObject()) return "{}";
    redact(doc, doc.GetAllocator(), schema_secrets(options_schema));
    rapidjson::StringBuffer out;
    rapidjson::Writer<rapidjson::StringBuffer> writer(out);
    doc.Accept(writer);
    return {out.GetString(), out.GetSize()};
}

} // namespace mafio
