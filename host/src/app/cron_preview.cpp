#include "app/cron_preview.hpp"

#include "options/command_line.hpp"
#include "schedule/schedule.hpp"
#include "schedule/schedule_error.hpp"

namespace mafio {

std::string cron_preview(const std::string &expression, const std::optional<std::string> &zone,
                         int64_t now_ns) {
    schedule::TimeZone tz;
    try {
        tz =
            zone && !zone->empty() ? schedule::TimeZone::named(*zone) : schedule::TimeZone::local();
    } catch (const schedule::ScheduleError &e) {
        throw UsageError(std::string("-cron-timezone: ") + e.what());
    }
    std::optional<schedule::Schedule> s;
    try {
        s = schedule::Schedule::parse(expression, tz);
    } catch (const schedule::ScheduleError &e) {
        throw UsageError(std::string("-cron: schedule: ") + e.what());
    }
    std::string out;
    int64_t t = now_ns;
    for (int k = 0; k < 5; ++k) {
        auto next = s->next_after(t);
        if (!next) break;
        out += schedule::format_local(*next, tz) + "\n";
        t = *next;
    }
    return out;
}

} // namespace mafio
