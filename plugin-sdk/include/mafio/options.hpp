// Typed access to a plugin's options object with errors that name the JSON path and say what
// would be accepted, e.g. `outputs[1].max_size: expected a size such as 100MiB or 1048576, got
// "big"`. Used by plugin.hpp; header-only, needs RapidJSON's headers.
//
// A plugin's constructor asks for each option it knows; afterwards reject_unknown() refuses any
// key nobody asked for, suggesting the nearest known one.
#pragma once

#include <mafio/plugin.h>
#include <mafio/units.hpp>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace mafio {

// An error with the status code it should become at the ABI boundary.
class Error : public std::runtime_error {
public:
    explicit Error(const std::string &msg, mafio_status code = MAFIO_ERR_INVALID)
        : std::runtime_error(msg), code_(code) {}
    mafio_status code() const noexcept { return code_; }

private:
    mafio_status code_;
};

class Options {
public:
    // `json` is the options object; `where` is the instance path used to prefix errors.
    explicit Options(const char *json, std::string where = "options") : where_(std::move(where)) {
        // Iterative: options from a caller other than the host (whose configuration is depth
        // limited) may nest arbitrarily deep, and recursive parsing would overflow the stack.
        doc_.Parse<rapidjson::kParseIterativeFlag>(json ? json : "{}");
        if (doc_.HasParseError() || !doc_.IsObject())
            throw Error(where_ + ": options must be a JSON object");
    }

    const std::string &where() const { return where_; }

    bool has(const char *key) {
        known_.emplace_back(key);
        return doc_.HasMember(key);
    }

    std::string string(const char *key, const std::string &def) {
        const auto *v = find(key);
        if (!v) return def;
        if (!v->IsString()) fail(key, "a string", *v);
        return {v->GetString(), v->GetStringLength()};
    }

    std::string required_string(const char *key) {
        const auto *v = find(key);
        if (!v) throw Error(path(key) + ": required, expected a string");
        if (!v->IsString() || v->GetStringLength() == 0) fail(key, "a non-empty string", *v);
        return {v->GetString(), v->GetStringLength()};
    }

    // A string or an array of strings.
    std::vector<std::string> strings(const char *key) {
        const auto *v = find(key);
        std::vector<std::string> out;
        if (!v) return out;
        if (v->IsString()) {
            out.emplace_back(v->GetString(), v->GetStringLength());
            return out;
        }
        if (!v->IsArray()) fail(key, "a string or an array of strings", *v);
        for (const auto &e : v->GetArray()) {
            if (!e.IsString()) fail(key, "an array of strings", *v);
            out.emplace_back(e.GetString(), e.GetStringLength());
        }
        return out;
    }

    // An object whose values are all strings (HTTP headers, say), as (name, value) pairs in the
    // order written; empty when absent.
    std::vector<std::pair<std::string, std::string>> string_map(const char *key) {
        const auto *v = find(key);
        std::vector<std::pair<std::string, std::string>> out;
        if (!v) return out;
        if (!v->IsObject()) fail(key, "an object of strings, such as {\"X-Name\": \"value\"}", *v);
        for (auto it = v->MemberBegin(); it != v->MemberEnd(); ++it) {
            std::string name(it->name.GetString(), it->name.GetStringLength());
            if (!it->value.IsString())
                throw Error(path(key) + "." + name + ": expected a string, got " +
                            describe(it->value));
            out.emplace_back(std::move(name),
                             std::string(it->value.GetString(), it->value.GetStringLength()));
        }
        return out;
    }

    bool boolean(const char *key, bool def) {
        const auto *v = find(key);
        if (!v) return def;
        if (!v->IsBool()) fail(key, "true or false", *v);
        return v->GetBool();
    }

    int64_t integer(const char *key, int64_t def, int64_t min, int64_t max) {
        const auto *v = find(key);
        if (!v) return def;
        if (!v->IsInt64() || v->GetInt64() < min || v->GetInt64() > max)
            fail(key, "an integer from " + std::to_string(min) + " to " + std::to_string(max), *v);
        return v->GetInt64();
    }

    // An integer that older configurations wrote as a string of digits ("snaplen": "65535"):
    // either form is accepted.
    int64_t lenient_integer(const char *key, int64_t def, int64_t min, int64_t max) {
        const auto *v = find(key);
        if (!v) return def;
        const auto n = lenient_integer_value(*v);
        if (!n || *n < min || *n > max) fail_lenient(key, min, max, *v);
        return *n;
    }

    // An integer or an array of integers, each possibly a string of digits; a string may also
    // list several separated by commas ("80,8080").
    std::vector<int64_t> lenient_integers(const char *key, int64_t min, int64_t max) {
        const auto *v = find(key);
        std::vector<int64_t> out;
        if (!v) return out;
        auto one = [&](const rapidjson::Value &e) {
            if (e.IsString()) {
                std::string s(e.GetString(), e.GetStringLength());
                size_t start = 0;
                while (start <= s.size()) {
                    size_t comma = s.find(',', start);
                    if (comma == std::string::npos) comma = s.size();
                    rapidjson::Value part;
                    std::string piece = s.substr(start, comma - start);
                    part.SetString(piece.c_str(), static_cast<rapidjson::SizeType>(piece.size()));
                    const auto n = lenient_integer_value(part);
                    if (!n || *n < min || *n > max) fail_lenient(key, min, max, *v);
                    out.push_back(*n);
                    start = comma + 1;
                }
                return;
            }
            const auto n = lenient_integer_value(e);
            if (!n || *n < min || *n > max) fail_lenient(key, min, max, *v);
            out.push_back(*n);
        };
        if (v->IsArray()) {
            for (const auto &e : v->GetArray())
                one(e);
        } else {
            one(*v);
        }
        return out;
    }

    // A byte count: a non-negative integer or a string such as "100MiB".
    uint64_t size(const char *key, uint64_t def, uint64_t min = 0, uint64_t max = UINT64_MAX) {
        const auto *v = find(key);
        if (!v) return def;
        std::optional<uint64_t> n;
        if (v->IsUint64())
            n = v->GetUint64();
        else if (v->IsString())
            n = parse_size(v->GetString());
        if (!n || *n < min || *n > max)
            fail(key, "a size such as 100MiB or 1048576 (from " + std::to_string(min) + " bytes)",
                 *v);
        return *n;
    }

    // A duration in seconds: a number of seconds or a string such as "250ms", "5s", "1m".
    double seconds(const char *key, double def) {
        const auto *v = find(key);
        if (!v) return def;
        std::optional<double> d;
        if (v->IsNumber())
            d = v->GetDouble();
        else if (v->IsString())
            d = parse_duration(v->GetString());
        if (!d || *d < 0) fail(key, "a duration such as \"250ms\", \"5s\" or 2", *v);
        return *d;
    }

    // Any JSON value (nullptr when absent), for an option with a structure of its own such as
    // an object of lists; the plugin checks its shape. Valid while the Options live.
    const rapidjson::Value *value(const char *key) { return find(key); }

    // One of a fixed set of strings.
    std::string choice(const char *key, const std::string &def,
                       std::initializer_list<const char *> allowed) {
        std::string s = string(key, def);
        std::string list;
        for (const char *a : allowed) {
            if (s == a) return s;
            list += list.empty() ? "" : ", ";
            list += std::string("\"") + a + "\"";
        }
        throw Error(path(key) + ": expected one of " + list + ", got \"" + s + "\"");
    }

    // An object option (its members are the caller's to check), or nullptr when absent.
    const rapidjson::Value *object(const char *key) {
        const rapidjson::Value *v = find(key);
        if (v && !v->IsObject()) fail(key, "an object", *v);
        return v;
    }
    // The option's JSON value as given (nullptr when absent or null), for shapes the typed
    // accessors do not cover (an object of field types, a list of rules); the caller checks
    // it and names the option with path().
    const rapidjson::Value *json(const char *key) { return find(key); }
    // "<instance>.<key>", the path an error about that option starts with.
    std::string path(const char *key) const { return where_ + "." + key; }

    // Throws for the first key no accessor asked for.
    void reject_unknown() const {
        for (auto it = doc_.MemberBegin(); it != doc_.MemberEnd(); ++it) {
            std::string k(it->name.GetString(), it->name.GetStringLength());
            bool seen = false;
            for (const auto &n : known_)
                seen = seen || n == k;
            if (seen) continue;
            std::string msg = path(k.c_str()) + ": unknown option";
            std::string near = closest_match(k, known_);
            if (!near.empty()) msg += " (did you mean \"" + near + "\"?)";
            if (!known_.empty()) {
                msg += "; known options:";
                for (const auto &n : known_)
                    msg += " " + n;
            } else {
                msg += "; this plugin takes no options";
            }
            throw Error(msg);
        }
    }

private:
    const rapidjson::Value *find(const char *key) {
        known_.emplace_back(key);
        // HasMember + operator[] rather than comparing iterators: clang in C++20 finds
        // RapidJSON's iterator operator== ambiguous.
        if (!doc_.HasMember(key) || doc_[key].IsNull()) return nullptr;
        return &doc_[key];
    }
    static std::optional<int64_t> lenient_integer_value(const rapidjson::Value &v) {
        if (v.IsInt64()) return v.GetInt64();
        if (!v.IsString()) return std::nullopt;
        std::string s(v.GetString(), v.GetStringLength());
        while (!s.empty() && s.front() == ' ')
            s.erase(0, 1);
        while (!s.empty() && s.back() == ' ')
            s.pop_back();
        if (s.empty() || s.size() > 18) return std::nullopt;
        int64_t n = 0;
        for (char c : s) {
            if (c < '0' || c > '9') return std::nullopt;
            n = n * 10 + (c - '0');
        }
        return n;
    }
    [[noreturn]] void fail_lenient(const char *key, int64_t min, int64_t max,
                                   const rapidjson::Value &got) const {
        fail(key,
             "an integer from " + std::to_string(min) + " to " + std::to_string(max) +
                 " (a number, or a string of digits such as \"" + std::to_string(max) + "\")",
             got);
    }
    static std::string describe(const rapidjson::Value &v) {
        if (v.IsString()) return std::string("\"") + v.GetString() + "\"";
        if (v.IsBool()) return v.GetBool() ? "true" : "false";
        if (v.IsInt64()) return std::to_string(v.GetInt64());
        if (v.IsNumber()) return std::to_string(v.GetDouble());
        if (v.IsArray()) return "an array";
        if (v.IsObject()) return "an object";
        return "null";
    }
    [[noreturn]] void fail(const char *key, const std::string &expected,
                           const rapidjson::Value &got) const {
        throw Error(path(key) + ": expected " + expected + ", got " + describe(got));
    }

    rapidjson::Document doc_;
    std::string where_;
    std::vector<std::string> known_;
};

} // namespace mafio
