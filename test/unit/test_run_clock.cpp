// The decisions of a scheduled input's runs (pipeline/run_clock.hpp) on given times: when a
// run starts, overlap skip and queue, catch_up none and one after downtime, and wall-clock
// jumps either way. The end-to-end tests run real schedules; these make the timing exact.
#include "pipeline/run_clock.hpp"

#include <catch2/catch.hpp>

using mafio::RunClock;
using mafio::RunPolicy;
namespace sch = mafio::schedule;

namespace {

constexpr int64_t s = 1000000000;
// 2026-01-01T00:00:00Z
constexpr int64_t t0 = 1767225600LL * s;

RunClock every_minute(RunPolicy p) {
    return RunClock(sch::Schedule::parse("* * * * *", sch::TimeZone{}), p);
}

} // namespace

TEST_CASE("run clock: a run starts at each tick and sleeps until the next") {
    RunClock c = every_minute({});
    c.begin(t0 + 10 * s, 0, 0);
    auto d = c.on_wake(t0 + 10 * s, 0);
    CHECK_FALSE(d.run);
    CHECK(d.sleep_ns == 50 * s);
    d = c.on_wake(t0 + 60 * s, 50 * s);
    REQUIRE(d.run);
    CHECK(d.fire_ns == t0 + 60 * s);
    c.on_run_end(t0 + 61 * s, 51 * s);
    d = c.on_wake(t0 + 61 * s, 51 * s);
    CHECK_FALSE(d.run);
    CHECK(d.sleep_ns == 59 * s);
    CHECK(c.runs() == 1);
    CHECK(c.skipped() == 0);
}

TEST_CASE("run clock: overlap skip counts the ticks a long run spans") {
    RunClock c = every_minute({});
    c.begin(t0, 0, 0);
    REQUIRE(c.on_wake(t0 + 60 * s, 60 * s).run);
    // The run lasts until 03:30: the ticks at 02:00 and 03:00 came while it ran.
    c.on_run_end(t0 + 210 * s, 210 * s);
    CHECK(c.skipped() == 2);
    auto d = c.on_wake(t0 + 210 * s, 210 * s);
    CHECK_FALSE(d.run);
    CHECK(d.sleep_ns == 30 * s); // the next is 04:00
    CHECK(c.runs() == 1);
}

TEST_CASE("run clock: overlap queue runs once more right after, coalescing the ticks") {
    RunClock c = every_minute({true, false});
    c.begin(t0, 0, 0);
    REQUIRE(c.on_wake(t0 + 60 * s, 60 * s).run);
    c.on_run_end(t0 + 210 * s, 210 * s);
    auto d = c.on_wake(t0 + 210 * s, 210 * s);
    REQUIRE(d.run);
    CHECK(d.fire_ns == t0 + 180 * s);
    CHECK(c.skipped() == 1); // 02:00 coalesced into the 03:00 run
    c.on_run_end(t0 + 215 * s, 215 * s);
    CHECK_FALSE(c.on_wake(t0 + 215 * s, 215 * s).run);
    CHECK(c.runs() == 2);
}

TEST_CASE("run clock: catch_up after downtime") {
    SECTION("none: the missed ticks are counted, the next tick runs") {
        RunClock c = every_minute({});
        c.begin(t0 + 30 * 60 * s, 0, t0); // last fired 30 minutes ago
        CHECK(c.missed() == 30);
        CHECK_FALSE(c.on_wake(t0 + 30 * 60 * s + s, s).run);
    }
    SECTION("one: a single run at once for all of them") {
        RunClock c = every_minute({false, true});
        c.begin(t0 + 30 * 60 * s + 5 * s, 0, t0);
        auto d = c.on_wake(t0 + 30 * 60 * s + 5 * s, 0);
        REQUIRE(d.run);
        CHECK(d.fire_ns == t0 + 30 * 60 * s); // the latest missed tick
        CHECK(c.missed() == 29);
        CHECK(c.take_notes().size() == 1);
        c.on_run_end(t0 + 30 * 60 * s + 6 * s, s);
        CHECK_FALSE(c.on_wake(t0 + 30 * 60 * s + 6 * s, s).run);
    }
    SECTION("nothing missed: no catch-up run") {
        RunClock c = every_minute({false, true});
        c.begin(t0 + 30 * s, 0, t0);
        CHECK_FALSE(c.on_wake(t0 + 30 * s, 0).run);
    }
}

TEST_CASE("run clock: wall-clock jumps") {
    SECTION("forward, catch_up none: the ticks passed over are missed, not run") {
        RunClock c(sch::Schedule::parse("0 * * * *", sch::TimeZone{}), {});
        c.begin(t0 + 10 * s, 0, 0);
        // 5 s of monotonic time, but the wall clock says 05:30: 01:00 to 05:00 passed over.
        auto d = c.on_wake(t0 + 5 * 3600 * s + 1800 * s, 5 * s, true);
        CHECK_FALSE(d.run);
        CHECK(c.missed() == 5);
        CHECK(d.sleep_ns == 1800 * s);
        auto notes = c.take_notes();
        REQUIRE(notes.size() == 2);
        CHECK_THAT(notes[0], Catch::Contains("the wall clock jumped by +19785.0 s"));
        CHECK_THAT(notes[1], Catch::Contains("5 tick(s) missed"));
    }
    SECTION("forward, catch_up one: one run for them") {
        RunClock c(sch::Schedule::parse("0 * * * *", sch::TimeZone{}), {false, true});
        c.begin(t0 + 10 * s, 0, 0);
        auto d = c.on_wake(t0 + 5 * 3600 * s + 1800 * s, 5 * s, true);
        REQUIRE(d.run);
        CHECK(d.fire_ns == t0 + 5 * 3600 * s);
        CHECK(c.missed() == 4);
    }
    SECTION("forward, the latest tick just passed: it runs, the others are missed") {
        RunClock c = every_minute({});
        c.begin(t0 + 10 * s, 0, 0);
        auto d = c.on_wake(t0 + 7200 * s + 15 * s, 5 * s, true);
        REQUIRE(d.run);
        CHECK(d.fire_ns == t0 + 7200 * s);
        CHECK(c.missed() == 119);
    }
    SECTION("backward: the next fire time follows the new wall clock") {
        RunClock c = every_minute({});
        c.begin(t0 + 3600 * s + 10 * s, 0, 0);   // next: 01:01
        auto d = c.on_wake(t0 + 20 * s, 10 * s); // set back an hour
        CHECK_FALSE(d.run);
        CHECK(d.sleep_ns == 40 * s); // 00:01, not 01:01
        CHECK(c.missed() == 0);
    }
    SECTION("a small lateness is no jump, and the tick still runs") {
        RunClock c = every_minute({});
        c.begin(t0 + 59 * s, 0, 0);
        auto d = c.on_wake(t0 + 60 * s + 300000000, s + 300000000);
        CHECK(d.run);
        CHECK(c.take_notes().empty());
    }
}

TEST_CASE("run clock: @every counts its ticks arithmetically") {
    RunClock c(sch::Schedule::parse("@every 1s", sch::TimeZone{}), {});
    c.begin(t0, 0, 0);
    REQUIRE(c.on_wake(t0 + s, s).run);
    c.on_run_end(t0 + 10 * s + s / 2, 10 * s + s / 2); // ticks at 2..10 s came meanwhile
    CHECK(c.skipped() == 9);
    auto d = c.on_wake(t0 + 10 * s + s / 2, 10 * s + s / 2);
    CHECK_FALSE(d.run);
    CHECK(d.sleep_ns == s / 2);
}
