// The cron parser and next-fire computation (host/src/schedule) against tables: every form,
// each error message, leap years, month ends, the day-of-month/day-of-week rule, and DST
// changes in Europe/Berlin and America/New_York from the system tzdata (never the machine's
// own zone).
#include "schedule/civil.hpp"
#include "schedule/schedule.hpp"
#include "schedule/schedule_error.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace mafio::schedule;

namespace {

// "2026-03-29T00:50:00Z" -> Unix ns.
int64_t utc(const std::string &t) {
    Civil c;
    c.year = std::stoi(t.substr(0, 4));
    c.month = static_cast<unsigned>(std::stoi(t.substr(5, 2)));
    c.day = static_cast<unsigned>(std::stoi(t.substr(8, 2)));
    c.hour = static_cast<unsigned>(std::stoi(t.substr(11, 2)));
    c.minute = static_cast<unsigned>(std::stoi(t.substr(14, 2)));
    c.second = static_cast<unsigned>(std::stoi(t.substr(17, 2)));
    return to_seconds(c) * 1000000000;
}

TimeZone zone(const std::string &name) {
    return name == "UTC" ? TimeZone{} : TimeZone::named(name);
}

std::vector<std::string> fires(const std::string &expr, const std::string &tz,
                               const std::string &from, size_t n) {
    const Schedule s = Schedule::parse(expr, zone(tz));
    std::vector<std::string> out;
    int64_t t = utc(from);
    for (size_t k = 0; k < n; ++k) {
        auto next = s.next_after(t);
        REQUIRE(next);
        REQUIRE(*next > t);
        out.push_back(format_local(*next, s.zone()));
        t = *next;
    }
    return out;
}

std::string error_of(const std::string &expr) {
    try {
        Schedule::parse(expr, TimeZone{});
    } catch (const ScheduleError &e) {
        return e.what();
    }
    return "(no error)";
}

struct Row {
    const char *expr, *tz, *from;
    std::vector<std::string> expected;
};

} // namespace

TEST_CASE("schedule: every form fires when the table says") {
    const std::vector<Row> rows = {
        // 5 fields, steps
        {"*/5 * * * *",
         "UTC",
         "2026-01-01T00:00:00Z",
         {"2026-01-01T00:05:00+00:00", "2026-01-01T00:10:00+00:00"}},
        // the original's 6-field form with seconds and ?
        {"0 */1 * * * ?",
         "UTC",
         "2026-01-01T00:00:30Z",
         {"2026-01-01T00:01:00+00:00", "2026-01-01T00:02:00+00:00"}},
        {"*/2 * * * * *",
         "UTC",
         "2026-01-01T00:00:00Z",
         {"2026-01-01T00:00:02+00:00", "2026-01-01T00:00:04+00:00"}},
        // names and ranges: 2026-11-27 is a Friday
        {"0 9 * * MON-FRI",
         "UTC",
         "2026-11-27T10:00:00Z",
         {"2026-11-30T09:00:00+00:00", "2026-12-01T09:00:00+00:00"}},
        {"0 12 * jan,Jul *",
         "UTC",
         "2026-02-01T00:00:00Z",
         {"2026-07-01T12:00:00+00:00", "2026-07-02T12:00:00+00:00"}},
        // range with a step, and a list
        {"30 8-10/2 * * *",
         "UTC",
         "2026-01-01T09:00:00Z",
         {"2026-01-01T10:30:00+00:00", "2026-01-02T08:30:00+00:00"}},
        {"0 0 1,15 * *",
         "UTC",
         "2026-01-01T00:00:00Z",
         {"2026-01-15T00:00:00+00:00", "2026-02-01T00:00:00+00:00"}},
        // N/STEP runs to the end of the field
        {"10/20 * * * *",
         "UTC",
         "2026-01-01T00:00:00Z",
         {"2026-01-01T00:10:00+00:00", "2026-01-01T00:30:00+00:00", "2026-01-01T00:50:00+00:00",
          "2026-01-01T01:10:00+00:00"}},
        // 7 is Sunday too; 2026-12-06 is a Sunday
        {"0 0 * * 7", "UTC", "2026-11-30T00:00:00Z", {"2026-12-06T00:00:00+00:00"}},
        {"0 0 * * sun", "UTC", "2026-11-30T00:00:00Z", {"2026-12-06T00:00:00+00:00"}},
        // macros
        {"@hourly", "UTC", "2026-01-01T00:30:00Z", {"2026-01-01T01:00:00+00:00"}},
        {"@daily", "UTC", "2026-01-01T00:30:00Z", {"2026-01-02T00:00:00+00:00"}},
        {"@midnight", "UTC", "2026-01-01T00:30:00Z", {"2026-01-02T00:00:00+00:00"}},
        {"@weekly", "UTC", "2026-11-30T00:00:00Z", {"2026-12-06T00:00:00+00:00"}},
        {"@monthly", "UTC", "2026-11-30T00:00:00Z", {"2026-12-01T00:00:00+00:00"}},
        {"@yearly", "UTC", "2026-06-01T00:00:00Z", {"2027-01-01T00:00:00+00:00"}},
        {"@annually", "UTC", "2026-06-01T00:00:00Z", {"2027-01-01T00:00:00+00:00"}},
        // leap years: February 29 only in 2028 and 2032
        {"0 0 29 2 *",
         "UTC",
         "2026-01-01T00:00:00Z",
         {"2028-02-29T00:00:00+00:00", "2032-02-29T00:00:00+00:00"}},
        // 2100 is not a leap year: from 2096 the next is 2104
        {"0 0 29 FEB *", "UTC", "2096-03-01T00:00:00Z", {"2104-02-29T00:00:00+00:00"}},
        // month ends: the 31st skips the short months
        {"0 0 31 * *",
         "UTC",
         "2026-01-31T00:00:00Z",
         {"2026-03-31T00:00:00+00:00", "2026-05-31T00:00:00+00:00", "2026-07-31T00:00:00+00:00",
          "2026-08-31T00:00:00+00:00", "2026-10-31T00:00:00+00:00"}},
        {"0 0 30 * *", "UTC", "2026-01-30T00:00:00Z", {"2026-03-30T00:00:00+00:00"}},
        // day of month and day of week both restricted: either (13th, or a Friday)
        {"0 0 13 * FRI",
         "UTC",
         "2026-11-01T00:00:00Z",
         {"2026-11-06T00:00:00+00:00", "2026-11-13T00:00:00+00:00", "2026-11-20T00:00:00+00:00",
          "2026-11-27T00:00:00+00:00", "2026-12-04T00:00:00+00:00", "2026-12-11T00:00:00+00:00",
          "2026-12-13T00:00:00+00:00", "2026-12-18T00:00:00+00:00"}},
        // one of them starts with *: both must match (Mondays on odd days)
        {"0 0 */2 * MON",
         "UTC",
         "2026-11-01T00:00:00Z",
         {"2026-11-09T00:00:00+00:00", "2026-11-23T00:00:00+00:00", "2026-12-07T00:00:00+00:00",
          "2026-12-21T00:00:00+00:00"}},
        // the year turns over
        {"59 23 31 12 *", "UTC", "2026-12-31T23:59:00Z", {"2027-12-31T23:59:00+00:00"}},
        // a zone without DST
        {"0 9 * * *", "Asia/Tokyo", "2025-12-31T12:00:00Z", {"2026-01-01T09:00:00+09:00"}},
    };
    for (const auto &r : rows) {
        INFO(r.expr << " in " << r.tz << " after " << r.from);
        CHECK(fires(r.expr, r.tz, r.from, r.expected.size()) == r.expected);
    }
}

TEST_CASE("schedule: daylight-saving changes fire each local time once") {
    const std::vector<Row> rows = {
        // Berlin, 2026-03-29: 02:00 CET becomes 03:00 CEST. 02:30 does not exist: it fires
        // once, at 03:00 CEST.
        {"30 2 * * *",
         "Europe/Berlin",
         "2026-03-28T12:00:00Z",
         {"2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00"}},
        // Every quarter hour: 02:00-02:45 are all skipped and fire once, at 03:00, which is
        // itself due then; the next is 03:15.
        {"*/15 * * * *",
         "Europe/Berlin",
         "2026-03-29T00:50:00Z",
         {"2026-03-29T03:00:00+02:00", "2026-03-29T03:15:00+02:00"}},
        // Berlin, 2026-10-25: 03:00 CEST becomes 02:00 CET. 02:30 happens twice: once.
        {"30 2 * * *",
         "Europe/Berlin",
         "2026-10-24T12:00:00Z",
         {"2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00"}},
        {"0,30 * * * *",
         "Europe/Berlin",
         "2026-10-24T23:45:00Z",
         {"2026-10-25T02:00:00+02:00", "2026-10-25T02:30:00+02:00", "2026-10-25T03:00:00+01:00"}},
        // Starting inside the repeated hour's second pass: its times already fired.
        {"*/20 * * * *", "Europe/Berlin", "2026-10-25T01:10:00Z", {"2026-10-25T03:00:00+01:00"}},
        // New York, 2026-03-08: 02:00 EST becomes 03:00 EDT.
        {"30 2 * * *",
         "America/New_York",
         "2026-03-07T12:00:00Z",
         {"2026-03-08T03:00:00-04:00", "2026-03-09T02:30:00-04:00"}},
        // New York, 2026-11-01: 02:00 EDT becomes 01:00 EST; 01:30 happens twice: once.
        {"30 1 * * *",
         "America/New_York",
         "2026-10-31T12:00:00Z",
         {"2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00"}},
        // Far beyond the file's listed transitions: the zone's rule string (footer) decides.
        {"30 2 * * *",
         "Europe/Berlin",
         "2060-03-27T12:00:00Z",
         {"2060-03-28T03:00:00+02:00", "2060-03-29T02:30:00+02:00"}},
        // @every is real time: 30 minutes after 01:30 CET is 03:00 CEST.
        {"@every 30m",
         "Europe/Berlin",
         "2026-03-29T00:30:00Z",
         {"2026-03-29T03:00:00+02:00", "2026-03-29T03:30:00+02:00", "2026-03-29T04:00:00+02:00"}},
    };
    for (const auto &r : rows) {
        INFO(r.expr << " in " << r.tz << " after " << r.from);
        CHECK(fires(r.expr, r.tz, r.from, r.expected.size()) == r.expected);
    }
}

TEST_CASE("schedule: invalid expressions say which field and what is accepted") {
    const std::vector<std::pair<const char *, const char *>> rows = {
        {"0 25 * * *", "field 2 (hour) \"25\": expected 0-23"},
        {"60 * * * * *", "field 1 (second) \"60\": expected 0-59"},
        {"0 60 * * * *", "field 2 (minute) \"60\": expected 0-59"},
        {"* * 32 * *", "field 3 (day of month) \"32\": expected 1-31"},
        {"* * 0 * *", "field 3 (day of month) \"0\": expected 1-31"},
        {"* * * 13 *", "field 4 (month) \"13\": expected 1-12 or JAN-DEC"},
        {"* * * FOO *", "field 4 (month) \"FOO\": unknown name \"FOO\"; expected 1-12 or JAN-DEC"},
        {"* * * * 8", "field 5 (day of week) \"8\": expected 0-7 (0 and 7 are Sunday) or SUN-SAT"},
        {"* * * * MON-FRX", "field 5 (day of week) \"MON-FRX\": unknown name \"FRX\""},
        {"5-2 * * * *", "field 1 (minute) \"5-2\": range 5-2 runs backwards"},
        {"*/0 * * * *", "field 1 (minute) \"*/0\": step 0 is out of range (1-60)"},
        {"*/x * * * *", "field 1 (minute) \"*/x\": step \"x\" is not a number"},
        {"1,,2 * * * *", "field 1 (minute) \"1,,2\": empty list item"},
        {"? * * * *", "field 1 (minute) \"?\": ? (any) is accepted only in the day-of-month"},
        {"-1 * * * *", "field 1 (minute) \"-1\": expected 0-59"},
        {"* * *", "\"* * *\" has 3 fields; expected 5 fields (minute hour day-of-month month "
                  "day-of-week), 6 with seconds first"},
        {"* * * * * * *", "has 7 fields"},
        {"", "empty expression; expected 5 fields"},
        {"@often", "\"@often\": unknown macro; expected 5 fields"},
        {"@every", "@every takes one duration such as \"@every 1h30m\""},
        {"@every 5x", "duration \"5x\": expected a number and a unit"},
        {"@every 0s", "@every 0s: expected at least 1ms"},
        {"0 0 30 2 *", "field 3 (day of month) \"30\": never occurs in the months of field 4 "
                       "(month) \"2\""},
        {"0 0 0 31 4,6 *", "field 4 (day of month) \"31\": never occurs in the months of field 5"},
    };
    for (const auto &[expr, message] : rows) {
        INFO(expr);
        CHECK_THAT(error_of(expr), Catch::Contains(message));
    }
    // Restricted both ways, so either may match: 30 FEB is fine when Fridays are also asked.
    CHECK_NOTHROW(Schedule::parse("0 0 30 2 FRI", TimeZone{}));
}

TEST_CASE("schedule: time zones come from the system tzdata, by IANA name only") {
    CHECK_THROWS_WITH(TimeZone::named("Mars/Base"),
                      Catch::Contains("time zone \"Mars/Base\": no such zone; expected an IANA "
                                      "time zone name such as \"Europe/Berlin\""));
    CHECK_THROWS_WITH(TimeZone::named("../../etc/passwd"), Catch::Contains("is not a zone name"));
    CHECK_THROWS_WITH(TimeZone::named("/etc/localtime"), Catch::Contains("is not a zone name"));
    const TimeZone berlin = TimeZone::named("Europe/Berlin");
    CHECK(berlin.offset_at(utc("2026-01-15T12:00:00Z") / 1000000000) == 3600);
    CHECK(berlin.offset_at(utc("2026-07-15T12:00:00Z") / 1000000000) == 7200);
    // The transition instants themselves.
    CHECK(berlin.offset_at(utc("2026-03-29T00:59:59Z") / 1000000000) == 3600);
    CHECK(berlin.offset_at(utc("2026-03-29T01:00:00Z") / 1000000000) == 7200);
    CHECK(berlin.offset_at(utc("2099-07-01T00:00:00Z") / 1000000000) == 7200);
    CHECK(berlin.offset_at(utc("2099-12-01T00:00:00Z") / 1000000000) == 3600);
    CHECK(TimeZone::named("UTC").offset_at(0) == 0);
}

TEST_CASE("schedule: POSIX TZ rules, north and south") {
    auto cet = parse_posix_tz("CET-1CEST,M3.5.0,M10.5.0/3");
    REQUIRE(cet);
    CHECK(cet->offset_at(utc("2030-01-10T00:00:00Z") / 1000000000) == 3600);
    CHECK(cet->offset_at(utc("2030-06-10T00:00:00Z") / 1000000000) == 7200);
    auto sydney = parse_posix_tz("AEST-10AEDT,M10.1.0,M4.1.0/3");
    REQUIRE(sydney);
    CHECK(sydney->offset_at(utc("2030-01-10T00:00:00Z") / 1000000000) == 39600);
    CHECK(sydney->offset_at(utc("2030-07-10T00:00:00Z") / 1000000000) == 36000);
    auto fixed = parse_posix_tz("<+0530>-5:30");
    REQUIRE(fixed);
    CHECK(fixed->offset_at(0) == 19800);
    CHECK_FALSE(parse_posix_tz("Europe/Berlin"));
    CHECK_FALSE(parse_posix_tz("CET-1CEST,M3.5.0"));
}

TEST_CASE("schedule: durations") {
    CHECK(parse_duration_ns("1s") == 1000000000);
    CHECK(parse_duration_ns("1h30m") == 5400LL * 1000000000);
    CHECK(parse_duration_ns("500ms") == 500000000);
    CHECK(parse_duration_ns("2d") == 172800LL * 1000000000);
    CHECK(parse_duration_ns("1.5s") == 1500000000);
    CHECK_THROWS_AS(parse_duration_ns("10"), ScheduleError);
    CHECK_THROWS_AS(parse_duration_ns("s"), ScheduleError);
    CHECK_THROWS_AS(parse_duration_ns("1y"), ScheduleError);
}
