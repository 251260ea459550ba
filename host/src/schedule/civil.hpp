// Calendar arithmetic on "civil" seconds: a wall-clock date and time counted as seconds since
// 1970-01-01 00:00:00 with no zone (std::chrono's calendar types, which GCC 12 has, unlike its
// time-zone database).
#pragma once

#include <chrono>
#include <cstdint>

namespace mafio::schedule {

struct Civil {
    int year = 1970;
    unsigned month = 1, day = 1, hour = 0, minute = 0, second = 0;
};

inline int64_t floor_div(int64_t a, int64_t b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

inline int64_t days_from_civil(int y, unsigned m, unsigned d) {
    using namespace std::chrono;
    return sys_days{year{y} / month{m} / day{d}}.time_since_epoch().count();
}

inline unsigned days_in_month(int y, unsigned m) {
    using namespace std::chrono;
    return static_cast<unsigned>((year{y} / month{m} / last).day());
}

// 0 = Sunday .. 6 = Saturday.
inline unsigned weekday_of(int64_t days) {
    using namespace std::chrono;
    return weekday{sys_days{std::chrono::days{days}}}.c_encoding();
}

inline int64_t to_seconds(const Civil &c) {
    return days_from_civil(c.year, c.month, c.day) * 86400 + c.hour * 3600 + c.minute * 60 +
           c.second;
}

inline Civil to_civil(int64_t seconds) {
    using namespace std::chrono;
    const int64_t days = floor_div(seconds, 86400);
    const int64_t rest = seconds - days * 86400;
    const year_month_day ymd{sys_days{std::chrono::days{days}}};
    return Civil{static_cast<int>(ymd.year()),          static_cast<unsigned>(ymd.month()),
                 static_cast<unsigned>(ymd.day()),      static_cast<unsigned>(rest / 3600),
                 static_cast<unsigned>(rest / 60 % 60), static_cast<unsigned>(rest % 60)};
}

} // namespace mafio::schedule
