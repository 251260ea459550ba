// Small helpers over RapidJSON's writer for the endpoints' response bodies.
#pragma once

#include "http/http_exchange.hpp"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <cstdint>
#include <string>
#include <vector>

namespace mafio {

class JsonOut {
public:
    JsonOut() : w_(buf_) { w_.SetIndent(' ', 2); }

    rapidjson::PrettyWriter<rapidjson::StringBuffer> &w() { return w_; }

    void key(const char *k) { w_.Key(k); }
    void str(const std::string &s) {
        w_.String(s.c_str(), static_cast<rapidjson::SizeType>(s.size()));
    }
    void field(const char *k, const std::string &v) { key(k), str(v); }
    void field(const char *k, const char *v) { key(k), w_.String(v); }
    void field(const char *k, uint64_t v) { key(k), w_.Uint64(v); }
    void field(const char *k, int64_t v) { key(k), w_.Int64(v); }
    void field(const char *k, int v) { key(k), w_.Int(v); }
    void field(const char *k, double v) { key(k), w_.Double(v); }
    void field(const char *k, bool v) { key(k), w_.Bool(v); }
    // An array of strings.
    void field(const char *k, const std::vector<std::string> &items) {
        key(k);
        w_.StartArray();
        for (const auto &s : items)
            str(s);
        w_.EndArray();
    }
    // An already-encoded JSON value (a plugin's options object).
    void raw(const char *k, const std::string &json) {
        key(k);
        w_.RawValue(json.c_str(), json.size(), rapidjson::kObjectType);
    }

    HttpResponse response(int status = 200) {
        HttpResponse r;
        r.status = status;
        r.body = std::string(buf_.GetString(), buf_.GetSize()) + "\n";
        return r;
    }

private:
    rapidjson::StringBuffer buf_;
    rapidjson::PrettyWriter<rapidjson::StringBuffer> w_;
};

// Unix time as RFC 3339 UTC with milliseconds, "2026-11-24T20:30:00.123Z".
std::string rfc3339(double unix_seconds);

} // namespace mafio
