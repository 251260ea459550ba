// logr:V1's pure pieces about time: the next local midnight (rotate_daily) in zones with and
// without DST, and what is logged about a streak of failed writes.
#include "../../plugins/logr/V1/clock.hpp"
#include "../../plugins/logr/V1/failure_streak.hpp"

#include <catch2/catch.hpp>

#include "zone_guard.hpp"

#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

using namespace logr_v1;
using mafio::test::ZoneGuard;

namespace {

struct tm local(time_t t) {
    struct tm tm {};
    localtime_r(&t, &tm);
    return tm;
}

} // namespace

TEST_CASE("logr rotate_daily: next local midnight in UTC") {
    ZoneGuard utc("UTC");
    const time_t day = 1714608000;                  // 2024-05-02 00:00:00 UTC
    CHECK(next_local_midnight(day) == day + 86400); // at midnight: the next one
    CHECK(next_local_midnight(day - 1) == day);     // one second before
    CHECK(next_local_midnight(day + 12 * 3600) == day + 86400);
    CHECK(next_local_midnight(day + 86399) == day + 86400);
    CHECK(next_local_midnight(1709164800) == 1709251200); // 2024-02-29 -> 2024-03-01
}

TEST_CASE("logr rotate_daily: local midnight across DST changes") {
    {
        ZoneGuard berlin("Europe/Berlin");
        // 2024-03-31 switches to CEST at 02:00: that day has 23 hours.
        const time_t mar30 = 1711753200; // 2024-03-30 00:00 CET (23:00 UTC the day before)
        const time_t mar31 = next_local_midnight(mar30 + 3600);
        CHECK(mar31 == mar30 + 86400);
        const time_t apr1 = next_local_midnight(mar31 + 3600);
        CHECK(apr1 == mar31 + 23 * 3600);
        CHECK(local(apr1).tm_hour == 0);
        CHECK(local(apr1).tm_mday == 1);
        // 2024-10-27 goes back to CET: 25 hours.
        const time_t oct27 = 1729980000; // 2024-10-27 00:00 CEST (22:00 UTC the day before)
        CHECK(next_local_midnight(oct27 + 3600) == oct27 + 25 * 3600);
    }
    {
        // Sao Paulo began DST at midnight (2018-11-04 00:00 became 01:00): that day starts
        // at 01:00, which is the rotation point.
        ZoneGuard sp("America/Sao_Paulo");
        const time_t nov3_noon = 1541257200; // 2018-11-03 12:00 -03
        const time_t next = next_local_midnight(nov3_noon);
        CHECK(next == nov3_noon + 12 * 3600);
        CHECK(local(next).tm_mday == 4);
        CHECK(local(next).tm_hour == 1);
        CHECK(next_local_midnight(next) > next);
    }
}

TEST_CASE("logr rotate_daily: always a later instant within a day and a bit") {
    for (const char *tz : {"UTC", "Europe/Berlin", "America/Sao_Paulo", "Australia/Lord_Howe",
                           "Pacific/Chatham", "Asia/Kolkata"}) {
        ZoneGuard zone(tz);
        for (time_t t = 1704067200; t < 1704067200 + 366 * 86400; t += 3 * 3600 + 17) {
            const time_t m = next_local_midnight(t);
            INFO(tz << " t=" << t);
            REQUIRE(m > t);
            REQUIRE(m - t <= 25 * 3600);
            REQUIRE(local(m).tm_mday != local(t).tm_mday); // a new local day
            REQUIRE(local(m - 1).tm_mday == local(t).tm_mday);
        }
    }
}

TEST_CASE("logr failure streak: the first failure and the end are logged, not each retry") {
    FailureStreak s(60, 300);
    CHECK(s.succeeded(0, "/x").empty()); // nothing to end
    const std::string first = s.failed(10, "cannot write to \"/x\" (No space left on device)");
    CHECK(first.find("No space left on device") != std::string::npos);
    CHECK(first.find("retrying") != std::string::npos);
    for (int i = 1; i < 100; ++i)
        CHECK(s.failed(10 + i, "again").empty());
    CHECK(s.failures() == 100);
    CHECK(s.succeeded(86, "/x") == "writing to \"/x\" resumed after 100 failed attempts over 76 s");
    CHECK_FALSE(s.active());
    CHECK(s.succeeded(87, "/x").empty());
}

TEST_CASE("logr failure streak: a long streak is reminded of, flapping is rate-limited") {
    FailureStreak s(60, 300);
    CHECK_FALSE(s.failed(0, "full").empty());
    CHECK(s.failed(299, "full").empty());
    const std::string reminder = s.failed(300, "full");
    CHECK(reminder.find("still failing after 3 attempts over 300 s") != std::string::npos);
    CHECK(s.failed(400, "full").empty());
    CHECK_FALSE(s.succeeded(401, "/x").empty());

    // A new streak after the gap is logged again.
    CHECK_FALSE(s.failed(410, "full").empty());
    CHECK_FALSE(s.succeeded(411, "/x").empty());
    // Streaks starting within a minute of the last reported start are counted, not logged.
    CHECK(s.failed(420, "full").empty());
    CHECK(s.succeeded(421, "/x").empty());
    CHECK(s.failed(425, "full").empty());
    CHECK(s.succeeded(426, "/x").empty());
    // One that lasts past the gap is reported late, with the number of streaks not logged.
    CHECK(s.failed(430, "full").empty());
    const std::string late = s.failed(471, "full");
    CHECK(late.find("failing for 41 s, 2 attempts") != std::string::npos);
    CHECK(late.find("2 shorter failure streaks before this one were not logged") !=
          std::string::npos);
    CHECK(s.succeeded(472, "/x").find("resumed after 2 failed attempts") != std::string::npos);
}
