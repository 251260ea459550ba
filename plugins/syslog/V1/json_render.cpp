// format: json (see json_render.hpp for the shape of the object).
#include "json_render.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <unordered_map>
#include <vector>

namespace syslog_v1 {

namespace {

void append_key(const char *key, std::string &out, bool &first) {
    out += first ? "{\"" : ",\"";
    first = false;
    out += key;
    out += "\":";
}

void append_field(const char *key, std::string_view value, std::string &out, bool &first) {
    if (value.empty()) return;
    append_key(key, out, first);
    append_json_string(out, value);
}

void append_unescaped(std::string_view value, std::string &out) {
    std::string plain;
    plain.reserve(value.size());
    sd_unescape(value, plain);
    append_json_string(out, plain);
}

// "sd": {"id": {"name": "value" or ["v1", "v2"], ...}, ...}, ids and names in the order they
// first appear (sorted by that order, so a hostile message with thousands of parameters costs
// n log n, not n^2).
void append_sd(std::string_view sd, std::string &out) {
    struct Param {
        std::string_view id, name, value;
        size_t id_rank, name_rank;
    };
    std::vector<Param> params;
    std::unordered_map<std::string_view, size_t> id_rank;
    std::unordered_map<std::string, size_t> name_rank; // keyed by id + '\0' + name
    for_each_sd_param(
        sd, [&](std::string_view id, std::string_view name, std::string_view value, bool) {
            const size_t ir = id_rank.emplace(id, id_rank.size()).first->second;
            std::string key(id);
            key += '\0';
            key += name;
            const size_t nr = name_rank.emplace(std::move(key), name_rank.size()).first->second;
            params.push_back({id, name, value, ir, nr});
        });
    std::stable_sort(params.begin(), params.end(), [](const Param &a, const Param &b) {
        return a.id_rank != b.id_rank ? a.id_rank < b.id_rank : a.name_rank < b.name_rank;
    });
    out += '{';
    for (size_t i = 0; i < params.size();) {
        if (i > 0) out += ',';
        append_json_string(out, params[i].id);
        out += ":{";
        const size_t id_end = static_cast<size_t>(
            std::find_if(params.begin() + static_cast<std::ptrdiff_t>(i), params.end(),
                         [&](const Param &p) { return p.id_rank != params[i].id_rank; }) -
            params.begin());
        bool first_name = true;
        for (size_t j = i; j < id_end;) {
            size_t k = j;
            while (k < id_end && params[k].name_rank == params[j].name_rank)
                ++k;
            if (params[j].name.empty()) { // an element without parameters
                j = k;
                continue;
            }
            if (!first_name) out += ',';
            first_name = false;
            append_json_string(out, params[j].name);
            out += ':';
            if (k - j == 1) {
                append_unescaped(params[j].value, out);
            } else {
                out += '[';
                for (size_t v = j; v < k; ++v) {
                    if (v > j) out += ',';
                    append_unescaped(params[v].value, out);
                }
                out += ']';
            }
            j = k;
        }
        out += '}';
        i = id_end;
    }
    out += '}';
}

} // namespace

size_t utf8_valid_prefix(std::string_view s) {
    size_t i = 0;
    while (i < s.size()) {
        // Mostly ASCII: 8 bytes at a time while no high bit is set.
        while (s.size() - i >= 8) {
            uint64_t w;
            std::memcpy(&w, s.data() + i, 8);
            if (w & 0x8080808080808080ull) break;
            i += 8;
        }
        if (i == s.size()) break;
        if (static_cast<unsigned char>(s[i]) < 0x80) {
            ++i;
            continue;
        }
        const size_t len = mafio_plugins::utf8_sequence_length(
            reinterpret_cast<const unsigned char *>(s.data()) + i, s.size() - i);
        if (len == 0) return i;
        i += len;
    }
    return s.size();
}

void append_rfc3339_utc(int64_t ns, std::string &out) {
    int64_t secs = ns / 1000000000, frac = ns % 1000000000;
    if (frac < 0) {
        frac += 1000000000;
        --secs;
    }
    int64_t days = secs / 86400, rem = secs % 86400;
    if (rem < 0) {
        rem += 86400;
        --days;
    }
    // civil_from_days, the inverse of days_from_civil.
    days += 719468;
    const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const int64_t doe = days - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    const int64_t d = doy - (153 * mp + 2) / 5 + 1;
    const int64_t m = mp < 10 ? mp + 3 : mp - 9;
    const int64_t y = yoe + era * 400 + (m <= 2);
    char buf[64];
    int n = std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld",
                          static_cast<long long>(y), static_cast<long long>(m),
                          static_cast<long long>(d), static_cast<long long>(rem / 3600),
                          static_cast<long long>(rem / 60 % 60), static_cast<long long>(rem % 60));
    out.append(buf, static_cast<size_t>(n));
    if (frac) {
        n = std::snprintf(buf, sizeof buf, ".%09lld", static_cast<long long>(frac));
        while (n > 1 && buf[n - 1] == '0')
            --n;
        out.append(buf, static_cast<size_t>(n));
    }
    out += 'Z';
}

void render_json(const Message &m, std::string_view frame, bool truncated, bool utf8_ok,
                 std::string &out) {
    bool first = true;
    if (m.pri >= 0) {
        append_key("pri", out, first);
        out += std::to_string(m.pri);
        append_key("facility", out, first);
        append_json_string(out, facility_name(m.pri >> 3));
        append_key("severity", out, first);
        append_json_string(out, severity_name(m.pri & 7));
    }
    if (!m.error) {
        append_key("protocol", out, first);
        out += m.protocol == Protocol::rfc5424 ? "\"rfc5424\"" : "\"rfc3164\"";
        if (m.protocol == Protocol::rfc3164 && m.ts_ns != 0 && !m.timestamp.empty() &&
            m.timestamp.find('-') == std::string_view::npos) {
            append_key("timestamp", out, first);
            out += '"';
            append_rfc3339_utc(m.ts_ns, out);
            out += '"';
        } else {
            append_field("timestamp", m.timestamp, out, first);
        }
        append_field("host", m.host, out, first);
        append_field("app", m.app, out, first);
        append_field("procid", m.procid, out, first);
        append_field("msgid", m.msgid, out, first);
        if (!m.sd.empty()) {
            append_key("sd", out, first);
            append_sd(m.sd, out);
        }
        append_key("message", out, first);
        append_json_string(out, m.msg);
    }
    if (truncated) {
        append_key("truncated", out, first);
        out += "true";
    }
    if (m.error) {
        append_key("parse_error", out, first);
        append_json_string(out, m.error);
        append_key("raw", out, first);
        append_json_string(out, frame);
    } else if (!utf8_ok) {
        append_key("parse_error", out, first);
        out += "\"not valid UTF-8: invalid bytes replaced by U+FFFD\"";
    }
    out += first ? "{}" : "}";
}

} // namespace syslog_v1
