// Parses a timestamp with a strftime-style format into nanoseconds since the Unix epoch.
//
// Directives: %Y (4-digit year), %y (2 digits: 69-99 -> 19xx, else 20xx), %m, %d, %e (day,
// space-padded), %H, %I + %p (12-hour clock, AM/PM), %M, %S (1 or 2 digits each), %j (day of
// the year), %b %h %B (month name, abbreviated or full, any case), %a %A (weekday name,
// skipped), %f (an optional fraction of a second: 1 to 9 digits, with a leading '.' or ','
// unless the format writes it; nothing when absent), %s (seconds since the epoch), %z (Z, +hh,
// +hhmm or +hh:mm), %Z (a zone name: UTC, GMT, Z, or one of the North American abbreviations EST
// EDT CST CDT MST MDT PST PDT, whose offsets are fixed; other names are errors rather than
// guesses), %T (%H:%M:%S), %F
// (%Y-%m-%d), %n %t (whitespace), %% (a '%'). A space in the format matches any run of
// whitespace, including none; any other character matches itself. The whole text must match.
// Without %z/%Z the time is UTC; without a year, `default_year` (syslog RFC 3164 has none).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mafio_plugins {

// Days from 1970-01-01 to y-m-d of the proleptic Gregorian calendar (era arithmetic:
// 400-year cycles of 146097 days, years counted from March so that Feb 29 comes last).
constexpr int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

class TimeParser {
public:
    explicit TimeParser(std::string_view format) : format_(format) {}

    std::optional<int64_t> parse(std::string_view text, int default_year = 1970) const {
        Fields f;
        f.year = default_year;
        size_t pos = 0;
        if (!apply(format_, text, pos, f) || pos != text.size()) return std::nullopt;
        return to_ns(f);
    }

private:
    struct Fields {
        int64_t year = 1970;
        int month = 1, day = 1, hour = 0, minute = 0, second = 0, yday = 0;
        int64_t frac_ns = 0, offset_s = 0, epoch = 0;
        bool has_epoch = false, pm = false, has_ampm = false;
    };

    static bool digits(std::string_view t, size_t &pos, int min, int max, int64_t &out) {
        int n = 0;
        int64_t v = 0;
        while (pos < t.size() && n < max && t[pos] >= '0' && t[pos] <= '9') {
            v = v * 10 + (t[pos++] - '0');
            ++n;
        }
        out = v;
        return n >= min;
    }
    template <class T>
    static bool number(std::string_view t, size_t &pos, int min, int max, T &out, int64_t lo,
                       int64_t hi) {
        int64_t v;
        if (!digits(t, pos, min, max, v) || v < lo || v > hi) return false;
        out = static_cast<T>(v);
        return true;
    }
    static char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }
    static bool iequal(std::string_view a, std::string_view b) {
        if (a.size() != b.size()) return false;
        for (size_t i = 0; i < a.size(); ++i)
            if (lower(a[i]) != lower(b[i])) return false;
        return true;
    }
    // Matches one of `names` (its full name, else its first three letters); returns its index.
    template <size_t N>
    static bool name(std::string_view t, size_t &pos, const char *const (&names)[N], int &out) {
        if (t.size() - pos < 3) return false;
        const char a = lower(t[pos]), b = lower(t[pos + 1]), c = lower(t[pos + 2]);
        for (size_t i = 0; i < N; ++i) {
            const std::string_view full(names[i]);
            if (lower(full[0]) != a || full[1] != b || full[2] != c) continue;
            const bool whole =
                t.size() - pos >= full.size() && iequal(t.substr(pos, full.size()), full);
            pos += whole ? full.size() : 3;
            out = static_cast<int>(i);
            return true;
        }
        return false;
    }
    static bool offset(std::string_view t, size_t &pos, int64_t &out) {
        if (pos < t.size() && (t[pos] == 'Z' || t[pos] == 'z')) {
            ++pos;
            out = 0;
            return true;
        }
        if (pos >= t.size() || (t[pos] != '+' && t[pos] != '-')) return false;
        const int64_t sign = t[pos++] == '-' ? -1 : 1;
        int64_t hh, mm = 0;
        if (!digits(t, pos, 2, 2, hh) || hh > 23) return false;
        if (pos < t.size() && t[pos] == ':') ++pos;
        if (pos < t.size() && t[pos] >= '0' && t[pos] <= '9')
            if (!digits(t, pos, 2, 2, mm) || mm > 59) return false;
        out = sign * (hh * 3600 + mm * 60);
        return true;
    }
    static bool zone_name(std::string_view t, size_t &pos, int64_t &out) {
        static constexpr struct {
            const char *name;
            int hours;
        } kZones[] = {{"UTC", 0},  {"GMT", 0},  {"EST", -5}, {"EDT", -4}, {"CST", -6},
                      {"CDT", -5}, {"MST", -7}, {"MDT", -6}, {"PST", -8}, {"PDT", -7}};
        for (const auto &z : kZones)
            if (t.size() - pos >= 3 && iequal(t.substr(pos, 3), z.name)) {
                pos += 3;
                out = z.hours * 3600;
                return true;
            }
        if (pos < t.size() && t[pos] == 'Z') {
            ++pos;
            out = 0;
            return true;
        }
        return false;
    }

    static bool apply(std::string_view fmt, std::string_view t, size_t &pos, Fields &f) {
        static const char *const kMonths[] = {"January",   "February", "March",    "April",
                                              "May",       "June",     "July",     "August",
                                              "September", "October",  "November", "December"};
        static const char *const kDays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                            "Thursday", "Friday", "Saturday"};
        for (size_t i = 0; i < fmt.size(); ++i) {
            const char c = fmt[i];
            if (c == ' ' ||
                (c == '%' && i + 1 < fmt.size() && (fmt[i + 1] == 'n' || fmt[i + 1] == 't'))) {
                if (c == '%') ++i;
                while (pos < t.size() && (t[pos] == ' ' || (t[pos] >= '\t' && t[pos] <= '\r')))
                    ++pos;
                continue;
            }
            if (c != '%') {
                if (pos >= t.size() || t[pos] != c) return false;
                ++pos;
                continue;
            }
            if (++i >= fmt.size()) return false; // a lone '%' ends the format
            int idx = 0;
            int64_t v = 0;
            switch (fmt[i]) {
            case 'Y':
                if (!number(t, pos, 4, 4, f.year, 0, 9999)) return false;
                break;
            case 'y':
                if (!digits(t, pos, 2, 2, v)) return false;
                f.year = v < 69 ? 2000 + v : 1900 + v;
                break;
            case 'm':
                if (!number(t, pos, 1, 2, f.month, 1, 12)) return false;
                break;
            case 'e':
                if (pos < t.size() && t[pos] == ' ') ++pos;
                [[fallthrough]];
            case 'd':
                if (!number(t, pos, 1, 2, f.day, 1, 31)) return false;
                break;
            case 'H':
                if (!number(t, pos, 1, 2, f.hour, 0, 23)) return false;
                break;
            case 'I':
                if (!number(t, pos, 1, 2, f.hour, 1, 12)) return false;
                break;
            case 'M':
                if (!number(t, pos, 1, 2, f.minute, 0, 59)) return false;
                break;
            case 'S': // 60: a leap second, read as the next minute's first
                if (!number(t, pos, 1, 2, f.second, 0, 60)) return false;
                break;
            case 'j':
                if (!number(t, pos, 1, 3, f.yday, 1, 366)) return false;
                break;
            case 'p':
                if (t.size() - pos < 2) return false;
                if (iequal(t.substr(pos, 2), "AM"))
                    f.pm = false;
                else if (iequal(t.substr(pos, 2), "PM"))
                    f.pm = true;
                else
                    return false;
                f.has_ampm = true;
                pos += 2;
                break;
            case 'b':
            case 'h':
            case 'B':
                if (!name(t, pos, kMonths, idx)) return false;
                f.month = idx + 1;
                break;
            case 'a':
            case 'A':
                if (!name(t, pos, kDays, idx)) return false;
                break;
            case 'f': {
                // After the format's own '.' ("%S.%f") or with the separator included ("%S%f").
                const bool sep = pos < t.size() && (t[pos] == '.' || t[pos] == ',');
                if (sep) ++pos;
                const size_t start = pos;
                if (!digits(t, pos, 0, 9, v)) return false;
                if (sep && pos == start) return false;
                for (size_t n = pos - start; n < 9; ++n)
                    v *= 10;
                f.frac_ns = v;
                // More than nanosecond precision: the extra digits are read and ignored.
                while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9')
                    ++pos;
                break;
            }
            case 's':
                if (!digits(t, pos, 1, 12, f.epoch)) return false;
                f.has_epoch = true;
                break;
            case 'z':
                if (!offset(t, pos, f.offset_s)) return false;
                break;
            case 'Z':
                if (!zone_name(t, pos, f.offset_s)) return false;
                break;
            case 'T':
                if (!apply("%H:%M:%S", t, pos, f)) return false;
                break;
            case 'F':
                if (!apply("%Y-%m-%d", t, pos, f)) return false;
                break;
            case '%':
                if (pos >= t.size() || t[pos] != '%') return false;
                ++pos;
                break;
            default:
                return false; // an unknown directive: refused at create by valid_format()
            }
        }
        return true;
    }

    static std::optional<int64_t> to_ns(const Fields &f) {
        int64_t seconds;
        if (f.has_epoch) {
            seconds = f.epoch;
        } else {
            int64_t days;
            if (f.yday > 0) {
                days = days_from_civil(f.year, 1, 1) + f.yday - 1;
            } else {
                static constexpr int kLast[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
                const bool leap = (f.year % 4 == 0 && f.year % 100 != 0) || f.year % 400 == 0;
                if (f.day > kLast[f.month - 1] || (f.month == 2 && f.day == 29 && !leap))
                    return std::nullopt;
                days = days_from_civil(f.year, static_cast<unsigned>(f.month),
                                       static_cast<unsigned>(f.day));
            }
            int hour = f.hour;
            if (f.has_ampm) hour = hour % 12 + (f.pm ? 12 : 0);
            seconds = days * 86400 + hour * 3600 + f.minute * 60 + f.second - f.offset_s;
        }
        // int64 nanoseconds span 1677-09-21 .. 2262-04-11: a time outside is unreadable.
        if (seconds < -9223372035 || seconds > 9223372035) return std::nullopt;
        return seconds * 1000000000 + f.frac_ns;
    }

public:
    // Whether every directive of `format` is one parse() knows; names the first that is not.
    static std::optional<std::string_view> unknown_directive(std::string_view format) {
        static constexpr std::string_view kKnown = "YymdeHIMSjpbhBaAfszZTF%nt";
        for (size_t i = 0; i < format.size(); ++i) {
            if (format[i] != '%') continue;
            if (i + 1 >= format.size()) return format.substr(i);
            if (kKnown.find(format[i + 1]) == std::string_view::npos) return format.substr(i, 2);
            ++i;
        }
        return std::nullopt;
    }

private:
    std::string format_;
};

} // namespace mafio_plugins
