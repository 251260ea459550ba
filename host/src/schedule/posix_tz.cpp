#include "schedule/posix_tz.hpp"

#include "schedule/civil.hpp"

#include <cctype>

namespace mafio::schedule {

namespace {

class Reader {
public:
    explicit Reader(std::string_view s) : s_(s) {}
    bool done() const { return i_ >= s_.size(); }
    char peek() const { return done() ? '\0' : s_[i_]; }
    bool take(char c) {
        if (peek() != c) return false;
        ++i_;
        return true;
    }

    // A zone abbreviation: three or more letters, or <...> with signs and digits too.
    bool name() {
        if (take('<')) {
            size_t start = i_;
            while (!done() && peek() != '>')
                ++i_;
            return take('>') && i_ - start >= 4;
        }
        size_t start = i_;
        while (!done() && std::isalpha(static_cast<unsigned char>(peek())))
            ++i_;
        return i_ - start >= 3;
    }

    std::optional<int> number(int max) {
        if (!std::isdigit(static_cast<unsigned char>(peek()))) return std::nullopt;
        int v = 0;
        while (std::isdigit(static_cast<unsigned char>(peek()))) {
            v = v * 10 + (s_[i_++] - '0');
            if (v > max) return std::nullopt;
        }
        return v;
    }

    // [+-]hh[:mm[:ss]], hours up to 167 (the rule times of the 2018 TZif version 3).
    std::optional<int32_t> hms() {
        int sign = 1;
        if (take('-'))
            sign = -1;
        else
            take('+');
        auto h = number(167);
        if (!h) return std::nullopt;
        int32_t v = *h * 3600;
        if (take(':')) {
            auto m = number(59);
            if (!m) return std::nullopt;
            v += *m * 60;
            if (take(':')) {
                auto sec = number(59);
                if (!sec) return std::nullopt;
                v += *sec;
            }
        }
        return sign * v;
    }

    std::optional<PosixTz::Rule> rule() {
        PosixTz::Rule r;
        if (take('J')) {
            auto d = number(365);
            if (!d || *d < 1) return std::nullopt;
            r.kind = PosixTz::Rule::julian1;
            r.day = *d;
        } else if (take('M')) {
            auto m = number(12);
            if (!m || *m < 1 || !take('.')) return std::nullopt;
            auto w = number(5);
            if (!w || *w < 1 || !take('.')) return std::nullopt;
            auto d = number(6);
            if (!d) return std::nullopt;
            r.kind = PosixTz::Rule::month_week_day;
            r.month = *m;
            r.week = *w;
            r.weekday = *d;
        } else {
            auto d = number(365);
            if (!d) return std::nullopt;
            r.kind = PosixTz::Rule::julian0;
            r.day = *d;
        }
        if (take('/')) {
            auto t = hms();
            if (!t) return std::nullopt;
            r.time = *t;
        }
        return r;
    }

private:
    std::string_view s_;
    size_t i_ = 0;
};

// The rule's moment in year `y`, in local seconds of the time in force before it.
int64_t local_moment(const PosixTz::Rule &r, int y) {
    int64_t days = days_from_civil(y, 1, 1);
    const bool leap = days_in_month(y, 2) == 29;
    switch (r.kind) {
    case PosixTz::Rule::julian1:
        days += r.day - 1 + ((leap && r.day >= 60) ? 1 : 0);
        break;
    case PosixTz::Rule::julian0:
        days += r.day;
        break;
    case PosixTz::Rule::month_week_day: {
        const unsigned month = static_cast<unsigned>(r.month);
        const int64_t first = days_from_civil(y, month, 1);
        int64_t d = first + (r.weekday - static_cast<int>(weekday_of(first)) + 7) % 7;
        d += 7 * (r.week - 1);
        while (d >= first + days_in_month(y, month))
            d -= 7; // week 5: the last such weekday of the month
        days = d;
        break;
    }
    }
    return days * 86400 + r.time;
}

} // namespace

int32_t PosixTz::offset_at(int64_t utc) const {
    if (!has_dst) return std_offset;
    const int y = to_civil(utc + std_offset).year;
    // The start is written in standard time, the end in daylight time.
    const int64_t start_utc = local_moment(start, y) - std_offset;
    const int64_t end_utc = local_moment(end, y) - dst_offset;
    const bool dst = start_utc < end_utc ? (utc >= start_utc && utc < end_utc)
                                         : !(utc >= end_utc && utc < start_utc); // south
    return dst ? dst_offset : std_offset;
}

std::optional<PosixTz> parse_posix_tz(std::string_view text) {
    Reader r(text);
    PosixTz tz;
    if (!r.name()) return std::nullopt;
    auto off = r.hms();
    if (!off) return std::nullopt;
    tz.std_offset = -*off;
    if (r.done()) return tz;
    if (!r.name()) return std::nullopt;
    tz.has_dst = true;
    tz.dst_offset = tz.std_offset + 3600;
    if (r.peek() != ',' && !r.done()) {
        auto d = r.hms();
        if (!d) return std::nullopt;
        tz.dst_offset = -*d;
    }
    if (r.done()) {
        // No rule: the US rules POSIX leaves to the implementation, as glibc does.
        tz.start = {PosixTz::Rule::month_week_day, 0, 3, 2, 0, 7200};
        tz.end = {PosixTz::Rule::month_week_day, 0, 11, 1, 0, 7200};
        return tz;
    }
    if (!r.take(',')) return std::nullopt;
    auto s = r.rule();
    if (!s || !r.take(',')) return std::nullopt;
    auto e = r.rule();
    if (!e || !r.done()) return std::nullopt;
    tz.start = *s;
    tz.end = *e;
    // "EST5EDT,0/0,J365/25": daylight time all year (a v3 idiom).
    return tz;
}

} // namespace mafio::schedule
