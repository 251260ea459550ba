#include "config/schedule_rules.hpp"

#include "schedule/schedule_error.hpp"
#include "util/quoted.hpp"

namespace mafio {

std::optional<std::string> check_input_schedule(const InputScheduleSpec &s,
                                                const std::string &where) {
    if (s.overlap != "skip" && s.overlap != "queue")
        return where +
               ".overlap: expected \"skip\" (a tick while a run still runs is skipped and "
               "counted) or \"queue\" (one more run right after), got " +
               quoted(s.overlap);
    if (s.catch_up != "none" && s.catch_up != "one")
        return where +
               ".catch_up: expected \"none\" or \"one\" (after downtime or a clock jump "
               "forward, run once for the missed ticks), got " +
               quoted(s.catch_up);
    schedule::TimeZone zone;
    try {
        zone = s.timezone.empty() ? schedule::TimeZone::local()
                                  : schedule::TimeZone::named(s.timezone);
    } catch (const schedule::ScheduleError &e) {
        return where + ".timezone: " + e.what();
    }
    try {
        schedule::Schedule::parse(s.expression, zone);
    } catch (const schedule::ScheduleError &e) {
        return where + ".schedule: " + e.what();
    }
    return std::nullopt;
}

schedule::Schedule parse_input_schedule(const InputScheduleSpec &s) {
    return schedule::Schedule::parse(s.expression, s.timezone.empty()
                                                       ? schedule::TimeZone::local()
                                                       : schedule::TimeZone::named(s.timezone));
}

} // namespace mafio
