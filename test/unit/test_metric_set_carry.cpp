// MetricSet::carry_from: a scheduled input's fresh instance per run continues the spent one's
// plugin metrics, so a counter never falls back (Prometheus would read that as a restart).
#include "metrics/metric_set.hpp"

#include <catch2/catch.hpp>

using mafio::MetricSet;

TEST_CASE("carry_from: counters go on counting, gauges keep their value, ids are found by name") {
    MetricSet spent;
    const uint32_t runs = spent.register_metric("runs", "runs started", MetricSet::Kind::counter);
    const uint32_t last = spent.register_metric("last_exit_code", "", MetricSet::Kind::gauge);
    spent.add(runs, 3);
    spent.set(last, 7);

    MetricSet fresh;
    fresh.carry_from(spent);
    // The plugin registers in its own order: it finds the carried metrics by name.
    const uint32_t last2 = fresh.register_metric("last_exit_code", "", MetricSet::Kind::gauge);
    const uint32_t runs2 = fresh.register_metric("runs", "runs started", MetricSet::Kind::counter);
    CHECK(fresh.value("runs") == 3);
    CHECK(fresh.value("last_exit_code") == 7);
    fresh.add(runs2, 1);
    fresh.set(last2, 0);
    CHECK(fresh.value("runs") == 4);
    CHECK(fresh.value("last_exit_code") == 0);
    CHECK(fresh.snapshot().size() == 2);
}
