// Parsing an HTTP Retry-After value (RFC 9110 section 10.2.3): delay-seconds, or an HTTP-date in
// any of the three forms a recipient must accept (IMF-fixdate, RFC 850, asctime; section
// 5.6.7). Pure and locale-free (no strptime, whose month names follow LC_TIME), for the unit
// tests.
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string_view>

namespace http_v1 {

namespace detail {

inline bool digits(std::string_view s, size_t at, size_t n, int &out) {
    if (at + n > s.size()) return false;
    out = 0;
    for (size_t i = at; i < at + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

inline int month_of(std::string_view s, size_t at) {
    static constexpr std::string_view names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    if (at + 3 > s.size()) return -1;
    for (int m = 0; m < 12; ++m)
        if (s.substr(at, 3) == names[m]) return m;
    return -1;
}

// "HH:MM:SS" at `at`.
inline bool clock_at(std::string_view s, size_t at, int &h, int &m, int &sec) {
    return at + 8 <= s.size() && digits(s, at, 2, h) && s[at + 2] == ':' &&
           digits(s, at + 3, 2, m) && s[at + 5] == ':' && digits(s, at + 6, 2, sec);
}

// Days from 1970-01-01 to the given civil date (proleptic Gregorian), without timegm's TZ games.
inline int64_t days_from_civil(int64_t y, int m /*1..12*/, int d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

inline std::optional<int64_t> epoch(int year, int month0, int day, int h, int m, int s) {
    if (month0 < 0 || day < 1 || day > 31 || h > 23 || m > 59 || s > 60) return std::nullopt;
    return days_from_civil(year, month0 + 1, day) * 86400 + h * 3600 + m * 60 + s;
}

} // namespace detail

// The seconds since the epoch an HTTP-date names, or nullopt when `s` is none of the three forms.
inline std::optional<int64_t> parse_http_date(std::string_view s) {
    using namespace detail;
    int day = 0, year = 0, h = 0, m = 0, sec = 0;
    const size_t comma = s.find(',');
    if (comma != std::string_view::npos) {
        std::string_view rest = s.substr(comma + 1);
        if (rest.empty() || rest[0] != ' ') return std::nullopt;
        // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
        if (rest.size() == 25 && digits(rest, 1, 2, day) && rest[3] == ' ' && rest[7] == ' ' &&
            digits(rest, 8, 4, year) && rest[12] == ' ' && clock_at(rest, 13, h, m, sec) &&
            rest.substr(21) == " GMT")
            return epoch(year, month_of(rest, 4), day, h, m, sec);
        // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"; a two-digit year more than 50 years in the
        // future means the past century (RFC 9110 section 5.6.7): near enough, years < 70 -> 20xx.
        if (rest.size() == 23 && digits(rest, 1, 2, day) && rest[3] == '-' && rest[7] == '-' &&
            digits(rest, 8, 2, year) && rest[10] == ' ' && clock_at(rest, 11, h, m, sec) &&
            rest.substr(19) == " GMT")
            return epoch(year + (year < 70 ? 2000 : 1900), month_of(rest, 4), day, h, m, sec);
        return std::nullopt;
    }
    // asctime: "Sun Nov  6 08:49:37 1994"
    if (s.size() == 24 && s[3] == ' ' && s[7] == ' ' && s[10] == ' ' &&
        clock_at(s, 11, h, m, sec) && s[19] == ' ' && digits(s, 20, 4, year)) {
        if (s[8] == ' ' ? !digits(s, 9, 1, day) : !digits(s, 8, 2, day)) return std::nullopt;
        return epoch(year, month_of(s, 4), day, h, m, sec);
    }
    return std::nullopt;
}

// How many seconds from `now` (seconds since the epoch) a Retry-After value asks to wait: 0 for
// a date in the past, nullopt when the value is neither delay-seconds nor an HTTP-date (the
// caller then falls back on its own backoff). Surrounding blanks are ignored.
inline std::optional<double> retry_after_seconds(std::string_view v, int64_t now) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t'))
        v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t'))
        v.remove_suffix(1);
    if (v.empty()) return std::nullopt;
    if (v.find_first_not_of("0123456789") == std::string_view::npos) {
        double secs = 0; // a double, so that an absurd number of digits cannot overflow
        for (char c : v)
            secs = secs * 10 + (c - '0');
        return secs;
    }
    const auto at = parse_http_date(v);
    if (!at) return std::nullopt;
    return *at > now ? static_cast<double>(*at - now) : 0.0;
}

} // namespace http_v1
