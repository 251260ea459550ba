// The monitoring settings of the configuration: influxdb.interval and
// health.output_failing_after, their defaults, forms and refusals.
#include "config/load_config.hpp"

#include <catch2/catch.hpp>

using namespace mafio;
using Catch::Contains;
using Catch::StartsWith;

namespace {
AgentConfig from_json(const std::string &json) {
    AgentConfig cfg;
    apply_config_json(cfg, json, "-f");
    return cfg;
}
std::string error_of(const std::string &json) {
    try {
        from_json(json);
    } catch (const ConfigError &e) {
        return e.what();
    }
    FAIL("expected a ConfigError for " << json);
    return "";
}
} // namespace

TEST_CASE("monitoring defaults: push every 10s, unhealthy after 60s of output failures",
          "[config]") {
    AgentConfig cfg = load_config(CommandLine{});
    CHECK(cfg.influxdb_interval_s == 10.0);
    CHECK(cfg.health_output_failing_after_s == 60.0);
}

TEST_CASE("influxdb.interval: a duration from 1s to 24h", "[config]") {
    CHECK(from_json(R"({"influxdb": {"interval": "30s"}})").influxdb_interval_s == Approx(30));
    CHECK(from_json(R"({"influxdb": {"interval": 2}})").influxdb_interval_s == Approx(2));
    CHECK(from_json(R"({"influxdb": {"addr": "127.0.0.1:8086", "interval": "1m"}})")
              .influxdb_interval_s == Approx(60));
    for (const char *bad : {R"("500ms")", "0", R"("25h")", R"("often")", "true"}) {
        INFO(bad);
        CHECK_THAT(error_of(std::string(R"({"influxdb": {"interval": )") + bad + "}}"),
                   StartsWith("-f: influxdb.interval: expected a duration from 1s to 24h"));
    }
}

TEST_CASE("health.output_failing_after: a duration from 0 to 24h", "[config]") {
    CHECK(
        from_json(R"({"health": {"output_failing_after": "5m"}})").health_output_failing_after_s ==
        Approx(300));
    CHECK(from_json(R"({"health": {"output_failing_after": 0}})").health_output_failing_after_s ==
          0);
    CHECK_THAT(error_of(R"({"health": {"output_failing_after": "-1s"}})"),
               StartsWith("-f: health.output_failing_after: expected a duration from 0 to 24h"));
    CHECK_THAT(error_of(R"({"health": {"output_failing_after": "2d"}})"),
               StartsWith("-f: health.output_failing_after: expected a duration"));
}

TEST_CASE("unknown keys under influxdb and health name the known ones", "[config]") {
    CHECK_THAT(error_of(R"({"influxdb": {"intervall": "5s"}})"),
               Contains("influxdb.intervall: unknown key; did you mean \"interval\"?"));
    CHECK_THAT(error_of(R"({"health": {"output_failing": "5s"}})"),
               Contains("did you mean \"output_failing_after\"?"));
    CHECK_THAT(error_of(R"({"helth": {}})"), Contains("did you mean \"health\"?"));
}
