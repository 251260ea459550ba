// Cron schedules: parsing and the next fire time (docs/configuration.md, "Scheduling").
//
//   6 fields, seconds first (the original agent's form):  "0 */1 * * * ?"
//   5 fields (crontab):                                   "*/5 * * * *"
//   fields: second minute hour day-of-month month day-of-week; each a list of `*`, `?` (day
//   fields: any), N, N-M, with /STEP after `*`, N or N-M; months JAN-DEC, weekdays SUN-SAT
//   (0 and 7 are Sunday), names in any case
//   @yearly @annually @monthly @weekly @daily @midnight @hourly, @every <duration> (1h30m, 10s)
//
// Day of month and day of week: when both are restricted (neither starts with `*` or `?`),
// a day matches if EITHER matches, as in cron(8); otherwise both must.
//
// Times are wall-clock times in the schedule's zone. Across daylight-saving changes: a local
// time that does not exist (spring forward) fires once, at the first valid instant after the
// gap; a local time that happens twice (fall back) fires once, at its first occurrence.
// @every is a fixed interval of real time, unaffected by zones.
#pragma once

#include "schedule/time_zone.hpp"

#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mafio::schedule {

struct CronFields {
    std::bitset<60> second, minute;
    std::bitset<24> hour;
    std::bitset<32> day_of_month;          // 1-31
    std::bitset<13> month;                 // 1-12
    std::bitset<7> day_of_week;            // 0 = Sunday
    bool dom_star = true, dow_star = true; // the field starts with * or ?
};

class Schedule {
public:
    // Throws ScheduleError: which field, the text, and what is accepted, e.g.
    // `field 2 (hour) "25": expected 0-23`.
    static Schedule parse(std::string_view expression, TimeZone zone = TimeZone::local());

    // The first fire time strictly after `after_ns` (Unix ns); nullopt when there is none
    // within a hundred years (cannot happen for an expression that parsed).
    std::optional<int64_t> next_after(int64_t after_ns) const;

    const std::string &expression() const { return expression_; }
    const TimeZone &zone() const { return zone_; }
    // @every: the interval in ns; 0 for calendar schedules.
    int64_t every_ns() const { return every_ns_; }

private:
    std::optional<int64_t> next_calendar(int64_t after_s) const;

    std::string expression_;
    TimeZone zone_;
    CronFields fields_;
    int64_t every_ns_ = 0;
};

// "1h30m", "10s", "500ms", "2d": Go-style units ns us ms s m h, and d. Throws ScheduleError.
int64_t parse_duration_ns(std::string_view text);

// `t` (Unix ns) in `zone` as RFC 3339 with the zone's offset: 2026-03-29T03:00:00+02:00.
std::string format_local(int64_t t_ns, const TimeZone &zone);

} // namespace mafio::schedule
