// logr:V1's pure pieces about names: time_format (formatting, validation, recognising its own
// output), rotated names beside the path, and the decisions taken on them at start (crash
// recovery) and after a rotation (retention).
#include "../../plugins/logr/V1/names.hpp"
#include "../../plugins/logr/V1/plans.hpp"
#include "../../plugins/logr/V1/time_format.hpp"

#include <catch2/catch.hpp>

#include "zone_guard.hpp"

#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

using namespace logr_v1;
using mafio::test::ZoneGuard;

namespace {

std::string invalid(const std::string &fmt) {
    try {
        TimeFormat f(fmt);
    } catch (const std::invalid_argument &e) {
        return e.what();
    }
    return "";
}

Names timed(const char *fmt, Position pos = Position::suffix) {
    return Names("/var/log/app.log", TimeFormat(fmt), pos);
}

} // namespace

TEST_CASE("logr time_format: formats local time") {
    ZoneGuard utc("UTC");
    const time_t t = 1714608000 + 3 * 3600 + 4 * 60 + 5; // 2024-05-02 03:04:05 UTC
    CHECK(TimeFormat("%Y-%m-%d").format(t) == "2024-05-02");
    CHECK(TimeFormat("%F_%T").format(t) == "2024-05-02_03:04:05");
    CHECK(TimeFormat("%Y%m%d%H%M%S").format(t) == "20240502030405");
    CHECK(TimeFormat("%s").format(t) == std::to_string(t));
    ZoneGuard berlin("Europe/Berlin");
    CHECK(TimeFormat("%Y-%m-%dT%H").format(t) == "2024-05-02T05"); // CEST, UTC+2
}

TEST_CASE("logr time_format: refuses what could not name a file or be recognised") {
    CHECK(invalid("").find("empty") != std::string::npos);
    CHECK(invalid("daily").find("no % directive") != std::string::npos);
    CHECK(invalid("%Y/%m").find("'/'") != std::string::npos);
    CHECK(invalid("%D").find("unsupported directive %D; accepted: %Y") != std::string::npos);
    CHECK(invalid("%c").find("unsupported directive %c") != std::string::npos);
    CHECK(invalid("%Y%").find("lone '%'") != std::string::npos);
    CHECK(invalid("%Y-%m-%d").empty());
    CHECK(invalid("100%%-%j").empty());
}

TEST_CASE("logr time_format: recognises its own output and nothing else") {
    ZoneGuard utc("UTC");
    for (const char *fmt : {"%Y-%m-%d", "%Y%m%d", "%F_%H%M%S", "%s", "%b-%d", "%e.%k", "%z.%Z",
                            "week%V-%G", "100%%-%j"}) {
        const TimeFormat f(fmt);
        for (time_t t : {time_t{0}, time_t{1714608000}, time_t{1735689599}})
            CHECK(f.matches(f.format(t)));
    }
    const TimeFormat day("%Y-%m-%d");
    CHECK_FALSE(day.matches("2024-05-0"));
    CHECK_FALSE(day.matches("2024-05-011"));
    CHECK_FALSE(day.matches("2024_05_01"));
    CHECK_FALSE(day.matches("bak"));
    CHECK_FALSE(day.matches(""));
    CHECK(TimeFormat("%b").matches("May"));
    CHECK_FALSE(TimeFormat("%b").matches("May1"));
}

TEST_CASE("logr names: numbered and stamped rotated names") {
    ZoneGuard utc("UTC");
    const Names numbered("/var/log/app.log", std::nullopt, Position::suffix);
    CHECK(numbered.dir() == "/var/log");
    CHECK(numbered.base() == "app.log");
    CHECK(numbered.numbered(3) == "/var/log/app.log.3");
    CHECK(numbered.temp() == "/var/log/app.log.gz.tmp");
    CHECK(Names("app.log", std::nullopt, Position::suffix).in_dir("x") == "./x");
    CHECK(Names("/app.log", std::nullopt, Position::suffix).in_dir("x") == "/x");

    const time_t t = 1714608000; // 2024-05-02
    CHECK(timed("%Y-%m-%d").stamped(t, 0) == "/var/log/app.log.2024-05-02");
    CHECK(timed("%Y-%m-%d").stamped(t, 2) == "/var/log/app.log.2024-05-02.2");
    CHECK(timed("%Y-%m-%d", Position::prefix).stamped(t, 0) == "/var/log/2024-05-02.app.log");
    CHECK(timed("%Y-%m-%d", Position::prefix).stamped(t, 1) == "/var/log/2024-05-02.app.log.1");
}

TEST_CASE("logr names: which directory entries are rotated files") {
    const Names numbered("/var/log/app.log", std::nullopt, Position::suffix);
    auto r = numbered.classify("app.log.12.gz");
    REQUIRE(r);
    CHECK(r->plain == "app.log.12");
    CHECK(r->gz);
    CHECK(numbered.classify("app.log.1"));
    for (const char *not_ours :
         {"app.log", "app.log.gz.tmp", "app.log.0", "app.log.01", "app.log.bak", "app.log.1.tmp",
          "other.log.1", "app.log.", "app.log.2024-05-02"})
        CHECK_FALSE(numbered.classify(not_ours));

    const Names suffix = timed("%Y-%m-%d");
    CHECK(suffix.classify("app.log.2024-05-02"));
    CHECK(suffix.classify("app.log.2024-05-02.3.gz"));
    for (const char *not_ours :
         {"app.log", "app.log.gz.tmp", "app.log.1", "app.log.bak", "2024-05-02.app.log",
          "app.log.2024-05-02.x", "app.log.2024-05-02.01", "xapp.log.2024-05-02"})
        CHECK_FALSE(suffix.classify(not_ours));

    const Names prefix = timed("%Y-%m-%d", Position::prefix);
    CHECK(prefix.classify("2024-05-02.app.log"));
    CHECK(prefix.classify("2024-05-02.app.log.4.gz"));
    for (const char *not_ours : {"app.log", "app.log.2024-05-02", "2024-05-02.app.logx",
                                 "2024-05-02.other.log", "app.log.gz.tmp"})
        CHECK_FALSE(prefix.classify(not_ours));

    // A format that could spell "gz.tmp" still leaves the compressor's temp file alone.
    CHECK_FALSE(
        Names("/x/app.log", TimeFormat("%b.%Z"), Position::suffix).classify("app.log.gz.tmp"));
}

TEST_CASE("logr recovery: what a compression killed half-way leaves") {
    const Names numbered("/var/log/app.log", std::nullopt, Position::suffix);
    const std::vector<std::string> dir = {
        "app.log",        // the live file: untouched
        "app.log.gz.tmp", // an incomplete .gz: removed
        "app.log.1",      // plain, no .gz: compressed
        "app.log.2",      // plain with a complete .gz (killed before the unlink): removed
        "app.log.2.gz",   //
        "app.log.3.gz",   // done
        "notes.txt",      // not ours
    };
    RecoveryPlan p = plan_recovery(numbered, dir, true);
    CHECK(p.remove == std::vector<std::string>{"app.log.2", "app.log.gz.tmp"});
    CHECK(p.compress == std::vector<std::string>{"app.log.1"});

    // Without compress, plain rotated files are what the user asked for; leftovers still go.
    p = plan_recovery(numbered, dir, false);
    CHECK(p.remove == std::vector<std::string>{"app.log.2", "app.log.gz.tmp"});
    CHECK(p.compress.empty());

    const Names suffix = timed("%Y-%m-%d");
    p = plan_recovery(suffix,
                      {"app.log.2024-05-01", "app.log.2024-05-02.1", "app.log.2024-05-02.1.gz",
                       "app.log.1", "app.log.gz.tmp"},
                      true);
    CHECK(p.remove == std::vector<std::string>{"app.log.2024-05-02.1", "app.log.gz.tmp"});
    CHECK(p.compress == std::vector<std::string>{"app.log.2024-05-01"});

    CHECK(plan_recovery(numbered, {"app.log"}, true).remove.empty());
}

TEST_CASE("logr retention with time_format: the oldest beyond max_files go") {
    const Names suffix = timed("%Y-%m-%d");
    const std::vector<Entry> dir = {
        {"app.log.2024-05-03", 300},
        {"app.log.2024-05-01.gz", 100},
        {"app.log.2024-05-02", 200},
        {"app.log.2024-05-02.gz", 200},   // one file, two forms
        {"app.log.2024-05-02.1.gz", 200}, // same mtime: the name orders them
        {"app.log", 50},                  // live: never counted
        {"unrelated.2024-01-01", 1},
    };
    CHECK(plan_retention(suffix, dir, 4).empty());
    CHECK(plan_retention(suffix, dir, 3) == std::vector<std::string>{"app.log.2024-05-01"});
    CHECK(plan_retention(suffix, dir, 1) == std::vector<std::string>{"app.log.2024-05-01",
                                                                     "app.log.2024-05-02",
                                                                     "app.log.2024-05-02.1"});
    CHECK(plan_retention(suffix, dir, 0).size() == 4);
}
