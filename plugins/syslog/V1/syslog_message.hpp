// Parsing one syslog message (RFC 5424, or the BSD format RFC 3164 describes) into views of its
// fields. Pure: no mafio host, no allocation, no I/O, so that it can be unit tested and fuzzed
// as it is, and shared later (the parser:V1 filter's presets could use it).
//
// The parser never throws and never reads outside the frame. A message it cannot read is not an
// error of the agent: `error` says why, and the caller delivers the bytes as they came.
//
// Leniency, on purpose: RFC 5424's length limits (HOSTNAME 255, APP-NAME 48, ...) are not
// enforced (a long field is still that field); its structure is (a missing SP or a broken
// SD-ELEMENT is an error, since the fields after it could not be told apart). RFC 3164 is a
// description of practice, not a grammar: after a valid PRI, everything parses, with the fields
// that could not be recognised left empty.
#pragma once

#include "../../common/time_parse.hpp"

#include <cstdint>
#include <string_view>

namespace syslog_v1 {

enum class Protocol : uint8_t { unknown, rfc5424, rfc3164 };

// RFC 3164 timestamps carry neither a year nor a zone: they are read in the agent's local time
// zone (TZ), in the year that puts them nearest to the receive time. mktime(3) is slow, so the
// zone offset is cached per hour of the calendar.
class LocalClock {
public:
    // Seconds since the epoch of a local calendar time; `year` is the full year.
    int64_t to_epoch(int year, int month, int day, int hour, int minute, int second);
    // The local year and month (1..12) at `now_ns`, cached per minute (localtime_r takes a lock).
    void year_month(int64_t now_ns, int &year, int &month);

private:
    int64_t now_minute_ = INT64_MIN;
    int now_year_ = 0, now_month_ = 0;
    int64_t cached_key_ = -1; // year, month, day and hour of the cached entry
    int64_t cached_hour_start_ = 0;
};

struct Message {
    Protocol protocol = Protocol::unknown;
    int pri = -1; // 0..191, or -1 when the message has no valid PRI
    // The TIMESTAMP as written; empty for a NILVALUE or none.
    std::string_view timestamp;
    // The timestamp in ns since the epoch; 0 when the message has none (or it is unusable).
    int64_t ts_ns = 0;
    // Empty when absent or a NILVALUE ("-").
    std::string_view host, app, procid, msgid;
    // RFC 5424 STRUCTURED-DATA as written (escapes kept; walk it with for_each_sd_param); empty
    // for a NILVALUE.
    std::string_view sd;
    // The MSG part, without a leading UTF-8 BOM; for a message that could not be parsed, the
    // whole frame.
    std::string_view msg;
    bool bom = false;
    // Why the message could not be parsed (a static string), nullptr when it was.
    const char *error = nullptr;
};

// Parses `frame` (no framing bytes: the caller removed the octet count or the line end).
// `now_ns`: the receive time, which picks the year of an RFC 3164 timestamp.
Message parse_message(std::string_view frame, int64_t now_ns, LocalClock &clock);

// Calls `fn(sd_id, param_name, value_as_written, first_param_of_element)` for every SD-PARAM of
// a STRUCTURED-DATA that parse_message accepted, and `fn(sd_id, {}, {}, true)` for an element
// without parameters. Values keep their escapes (\" \\ \]); unescape with sd_unescape.
template <class Fn> void for_each_sd_param(std::string_view sd, Fn &&fn);

// Appends the unescaped value to `out` with out.push_back (RFC 5424 6.3.3: only a backslash
// before '"', '\\' or ']' escapes it; any other backslash is kept).
template <class Out> void sd_unescape(std::string_view value, Out &out) {
    for (size_t i = 0; i < value.size(); ++i) {
        char c = value[i];
        if (c == '\\' && i + 1 < value.size() &&
            (value[i + 1] == '"' || value[i + 1] == '\\' || value[i + 1] == ']'))
            c = value[++i];
        out.push_back(c);
    }
}

// Names of facility (0..23) and severity (0..7) codes, as syslog.conf and rsyslog spell them.
const char *facility_name(int facility);
const char *severity_name(int severity);

// Days since 1970-01-01 of a proleptic Gregorian date (month 1..12): the shared one.
using mafio_plugins::days_from_civil;

// ---- implementation of the template ----

namespace detail {
// Length of the SD-NAME at the start of `s` (RFC 5424: PRINTUSASCII except '=', SP, ']', '"').
inline size_t sd_name_len(std::string_view s) {
    size_t i = 0;
    while (i < s.size()) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if (c < 33 || c > 126 || c == '=' || c == ']' || c == '"') break;
        ++i;
    }
    return i;
}
// Length of a PARAM-VALUE up to (not including) its closing '"', or npos when unterminated.
inline size_t sd_value_len(std::string_view s) {
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) {
            ++i;
            continue;
        }
        if (s[i] == '"') return i;
    }
    return std::string_view::npos;
}
} // namespace detail

template <class Fn> void for_each_sd_param(std::string_view sd, Fn &&fn) {
    size_t i = 0;
    while (i < sd.size() && sd[i] == '[') {
        ++i;
        const size_t id_len = detail::sd_name_len(sd.substr(i));
        const std::string_view id = sd.substr(i, id_len);
        i += id_len;
        bool first = true;
        while (i < sd.size() && sd[i] == ' ') {
            ++i;
            const size_t name_len = detail::sd_name_len(sd.substr(i));
            const std::string_view name = sd.substr(i, name_len);
            i += name_len + 2; // '=' '"'
            if (i > sd.size()) return;
            const size_t value_len = detail::sd_value_len(sd.substr(i));
            if (value_len == std::string_view::npos) return;
            fn(id, name, sd.substr(i, value_len), first);
            first = false;
            i += value_len + 1;
        }
        if (first) fn(id, std::string_view{}, std::string_view{}, true);
        ++i; // ']'
    }
}

} // namespace syslog_v1
