#include "schedule/schedule.hpp"

#include "schedule/civil.hpp"
#include "schedule/schedule_error.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <vector>

namespace mafio::schedule {

namespace {

struct FieldRule {
    const char *name;
    int low, high;
    const char *const *names; // names[0] is `low`'s name; nullptr: numbers only
    const char *accepted;
};

const char *const month_names[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                   "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
const char *const weekday_names[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"};

// In the order of the 6-field form.
const FieldRule rules[6] = {
    {"second", 0, 59, nullptr, "0-59"},
    {"minute", 0, 59, nullptr, "0-59"},
    {"hour", 0, 23, nullptr, "0-23"},
    {"day of month", 1, 31, nullptr, "1-31"},
    {"month", 1, 12, month_names, "1-12 or JAN-DEC"},
    {"day of week", 0, 7, weekday_names, "0-7 (0 and 7 are Sunday) or SUN-SAT"},
};

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    size_t start = 0;
    for (;;) {
        size_t at = s.find(sep, start);
        out.push_back(s.substr(start, at - start));
        if (at == std::string_view::npos) return out;
        start = at + 1;
    }
}

std::vector<std::string_view> words(std::string_view s) {
    std::vector<std::string_view> out;
    size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i])))
            ++i;
        size_t start = i;
        while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i])))
            ++i;
        if (i > start) out.push_back(s.substr(start, i - start));
    }
    return out;
}

class FieldParser {
public:
    FieldParser(const FieldRule &rule, int number, std::string_view text)
        : rule_(rule), number_(number), text_(text) {}

    [[noreturn]] void fail(const std::string &why = {}) const {
        throw ScheduleError("field " + std::to_string(number_) + " (" + rule_.name + ") \"" +
                            std::string(text_) + "\": " + (why.empty() ? "" : why + "; ") +
                            "expected " + rule_.accepted +
                            ", lists (1,5), ranges (1-5) and steps "
                            "(*/5, 1-30/2)");
    }

    // The values the field takes, as a bit per value from 0 to 63.
    uint64_t parse(bool question_allowed) {
        if (text_.empty()) fail();
        uint64_t bits = 0;
        for (std::string_view item : split(text_, ',')) {
            if (item.empty()) fail("empty list item");
            auto slash = item.find('/');
            std::string_view base = item.substr(0, slash);
            int low, high;
            if (base == "*" || base == "?") {
                if (base == "?" && !question_allowed)
                    fail("? (any) is accepted only in the day-of-month and day-of-week fields");
                low = rule_.low;
                high = rule_.high;
            } else if (auto dash = base.find('-'); dash != std::string_view::npos) {
                low = value(base.substr(0, dash));
                high = value(base.substr(dash + 1));
                if (low > high)
                    fail("range " + std::string(base) + " runs backwards (write low-high)");
            } else {
                low = value(base);
                // N/STEP: from N to the end of the field's range.
                high = slash == std::string_view::npos ? low : rule_.high;
            }
            int step = 1;
            if (slash != std::string_view::npos) {
                std::string_view s = item.substr(slash + 1);
                step = digits(s, "step");
                if (step < 1 || step > rule_.high - rule_.low + 1)
                    fail("step " + std::string(s) + " is out of range (1-" +
                         std::to_string(rule_.high - rule_.low + 1) + ")");
            }
            for (int v = low; v <= high; v += step)
                bits |= uint64_t(1) << v;
        }
        return bits;
    }

private:
    int digits(std::string_view s, const char *what) const {
        if (s.empty() || s.size() > 4 ||
            !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
            fail(std::string(what) + " \"" + std::string(s) + "\" is not a number");
        return std::stoi(std::string(s));
    }

    int value(std::string_view s) const {
        if (rule_.names && !s.empty() && std::isalpha(static_cast<unsigned char>(s[0]))) {
            std::string upper;
            for (char c : s)
                upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
            for (int k = 0; k <= rule_.high - rule_.low; ++k)
                if (upper == rule_.names[k]) return rule_.low + k;
            fail("unknown name \"" + std::string(s) + "\"");
        }
        if (s.empty() ||
            !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
            fail();
        if (s.size() > 4) fail();
        int v = std::stoi(std::string(s));
        if (v < rule_.low || v > rule_.high) fail();
        return v;
    }

    const FieldRule &rule_;
    int number_;
    std::string_view text_;
};

const char *const forms =
    "expected 5 fields (minute hour day-of-month month day-of-week), 6 with seconds first "
    "(\"0 */1 * * * ?\"), or one of @yearly @monthly @weekly @daily @hourly @every <duration>";

std::string_view macro(std::string_view name) {
    if (name == "@yearly" || name == "@annually") return "0 0 0 1 1 *";
    if (name == "@monthly") return "0 0 0 1 * *";
    if (name == "@weekly") return "0 0 0 * * 0";
    if (name == "@daily" || name == "@midnight") return "0 0 0 * * *";
    if (name == "@hourly") return "0 0 * * * *";
    return {};
}

// A restricted day of month that no selected month has (30 FEB): such a schedule never fires.
void check_reachable(const CronFields &f, const std::vector<std::string_view> &text, int dom_at,
                     int month_at) {
    if (!f.dow_star && !f.dom_star) return; // either one matches: a weekday always comes
    static const unsigned longest[13] = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (unsigned m = 1; m <= 12; ++m)
        for (unsigned d = 1; d <= longest[m]; ++d)
            if (f.month[m] && f.day_of_month[d]) return;
    throw ScheduleError("field " + std::to_string(dom_at + 1) + " (day of month) \"" +
                        std::string(text[static_cast<size_t>(dom_at)]) +
                        "\": never occurs in the months of field " + std::to_string(month_at + 1) +
                        " (month) \"" + std::string(text[static_cast<size_t>(month_at)]) +
                        "\"; expected a day those months have");
}

bool day_matches(const CronFields &f, int y, unsigned m, unsigned d) {
    const bool dom = f.day_of_month[d];
    const bool dow = f.day_of_week[weekday_of(days_from_civil(y, m, d))];
    return (f.dom_star || f.dow_star) ? dom && dow : dom || dow;
}

// The first local civil second after `from` that the fields match; bounded to 100 years.
std::optional<int64_t> next_local(const CronFields &f, int64_t from) {
    Civil c = to_civil(from + 1);
    const int last_year = c.year + 100;
    // Each branch moves to the start of the next candidate unit; normalize() carries.
    auto normalize = [&] {
        if (c.second > 59) c.second = 0, ++c.minute;
        if (c.minute > 59) c.minute = 0, ++c.hour;
        if (c.hour > 23) c.hour = 0, ++c.day;
        if (c.day > days_in_month(c.year, c.month)) c.day = 1, ++c.month;
        if (c.month > 12) c.month = 1, ++c.year;
    };
    while (c.year <= last_year) {
        if (!f.month[c.month]) {
            c = Civil{c.year, c.month + 1, 1, 0, 0, 0};
        } else if (!day_matches(f, c.year, c.month, c.day)) {
            c = Civil{c.year, c.month, c.day + 1, 0, 0, 0};
        } else if (!f.hour[c.hour]) {
            c = Civil{c.year, c.month, c.day, c.hour + 1, 0, 0};
        } else if (!f.minute[c.minute]) {
            c = Civil{c.year, c.month, c.day, c.hour, c.minute + 1, 0};
        } else if (!f.second[c.second]) {
            ++c.second;
        } else {
            return to_seconds(c);
        }
        normalize();
    }
    return std::nullopt;
}

} // namespace

Schedule Schedule::parse(std::string_view expression, TimeZone zone) {
    Schedule s;
    s.expression_ = std::string(expression);
    s.zone_ = std::move(zone);
    std::vector<std::string_view> f = words(expression);
    if (f.empty()) throw ScheduleError("empty expression; " + std::string(forms));
    if (f[0].front() == '@') {
        if (f[0] == "@every") {
            if (f.size() != 2)
                throw ScheduleError("@every takes one duration such as \"@every 1h30m\"");
            s.every_ns_ = parse_duration_ns(f[1]);
            if (s.every_ns_ < 1000000)
                throw ScheduleError("@every " + std::string(f[1]) + ": expected at least 1ms");
            return s;
        }
        std::string_view expanded = macro(f[0]);
        if (expanded.empty() || f.size() != 1)
            throw ScheduleError("\"" + std::string(expression) + "\": unknown macro; " + forms);
        f = words(expanded);
    } else if (f.size() == 5) {
        f.insert(f.begin(), "0");
    } else if (f.size() != 6) {
        throw ScheduleError("\"" + std::string(expression) + "\" has " + std::to_string(f.size()) +
                            " fields; " + forms);
    }
    // Field numbers in messages count as the expression was written.
    const int shift = words(expression).size() == 5 ? -1 : 0;
    CronFields &c = s.fields_;
    uint64_t bits[6];
    for (int k = 0; k < 6; ++k) {
        FieldParser p(rules[k], k + 1 + shift, f[static_cast<size_t>(k)]);
        bits[k] = p.parse(k == 3 || k == 5);
    }
    c.second = std::bitset<60>(bits[0]);
    c.minute = std::bitset<60>(bits[1]);
    c.hour = std::bitset<24>(bits[2]);
    c.day_of_month = std::bitset<32>(bits[3]);
    c.month = std::bitset<13>(bits[4]);
    c.day_of_week = std::bitset<7>((bits[5] | (bits[5] >> 7)) & 0x7f); // 7 is Sunday too
    c.dom_star = f[3].front() == '*' || f[3].front() == '?';
    c.dow_star = f[5].front() == '*' || f[5].front() == '?';
    if (shift == 0) {
        check_reachable(c, f, 3, 4);
    } else {
        std::vector<std::string_view> written(f.begin() + 1, f.end());
        check_reachable(c, written, 2, 3);
    }
    return s;
}

std::optional<int64_t> Schedule::next_after(int64_t after_ns) const {
    if (every_ns_ > 0) return after_ns + every_ns_;
    auto s = next_calendar(floor_div(after_ns, 1000000000));
    if (!s) return std::nullopt;
    return *s * 1000000000;
}

// Walks the matching local times in order and maps each to UTC: a unique instant is taken
// as it is, a repeated one at its first occurrence only, a skipped one at the end of the gap.
std::optional<int64_t> Schedule::next_calendar(int64_t after_s) const {
    int64_t local = after_s + zone_.offset_at(after_s);
    for (;;) {
        auto L = next_local(fields_, local);
        if (!L) return std::nullopt;
        local = *L;
        // The offsets in force a day either side cover every instant showing this local time.
        const int32_t before = zone_.offset_at(*L - 86400), after = zone_.offset_at(*L + 86400);
        std::optional<int64_t> instant;
        for (int32_t o : {before, after})
            if (zone_.offset_at(*L - o) == o && (!instant || *L - o < *instant)) instant = *L - o;
        if (!instant) {
            // Skipped: the first instant whose offset is the new one, found by bisection
            // between the two readings of the local time.
            int64_t lo = *L - std::max(before, after), hi = *L - std::min(before, after);
            const int32_t old_offset = zone_.offset_at(lo);
            while (hi - lo > 1) {
                int64_t mid = lo + (hi - lo) / 2;
                (zone_.offset_at(mid) == old_offset ? lo : hi) = mid;
            }
            instant = hi;
        }
        if (*instant > after_s) return instant;
    }
}

int64_t parse_duration_ns(std::string_view text) {
    const std::string expected =
        "duration \"" + std::string(text) +
        "\": expected a number and a unit, repeated, such as 10s, 5m, 1h30m, 500ms, 2d (units "
        "ns us ms s m h d)";
    if (text.empty()) throw ScheduleError(expected);
    long double total = 0;
    size_t i = 0;
    while (i < text.size()) {
        size_t start = i;
        while (i < text.size() && ((text[i] >= '0' && text[i] <= '9') || text[i] == '.'))
            ++i;
        if (i == start || i - start > 15) throw ScheduleError(expected);
        long double n = std::stold(std::string(text.substr(start, i - start)));
        size_t u = i;
        while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i])))
            ++i;
        std::string_view unit = text.substr(u, i - u);
        long double scale = unit == "ns"   ? 1
                            : unit == "us" ? 1e3
                            : unit == "ms" ? 1e6
                            : unit == "s"  ? 1e9
                            : unit == "m"  ? 60e9
                            : unit == "h"  ? 3600e9
                            : unit == "d"  ? 86400e9
                                           : -1;
        if (scale < 0) throw ScheduleError(expected);
        total += n * scale;
    }
    if (total > 1e18L) throw ScheduleError("duration \"" + std::string(text) + "\" is too long");
    return static_cast<int64_t>(total);
}

std::string format_local(int64_t t_ns, const TimeZone &zone) {
    const int64_t s = floor_div(t_ns, 1000000000);
    const int32_t off = zone.offset_at(s);
    const Civil c = to_civil(s + off);
    const int32_t a = off < 0 ? -off : off;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02u:%02u:%02u%c%02d:%02d", c.year, c.month,
                  c.day, c.hour, c.minute, c.second, off < 0 ? '-' : '+', a / 3600, a / 60 % 60);
    return buf;
}

} // namespace mafio::schedule
