// /metrics rendering: family layout, label escaping, value formatting, and the names a
// snapshot turns into (the contract dashboards rely on).
#include "metrics/prometheus_text.hpp"
#include "metrics/snapshot_families.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

using namespace mafio;
using Catch::Contains;

namespace {

AgentSnapshot one_input_snapshot() {
    AgentSnapshot s;
    s.agent_id = "sky01";
    s.agent_group = "net01";
    InstanceSnapshot in;
    in.kind = "input";
    in.plugin = "stdin:V1";
    in.instance = "inputs[0]";
    in.id = "stdin";
    in.records_in = 1000;
    in.records_unrouted = 3;
    in.bytes_in = 4000;
    in.batches = 3;
    in.unfinished_batches = 2;
    s.instances.push_back(in);
    InstanceSnapshot f;
    f.kind = "filter";
    f.plugin = "valid:V1";
    f.instance = "filters[0]";
    f.id = "valid";
    f.records_in = 1000;
    f.records_out = 990;
    f.records_dropped = 10;
    f.plugin_metrics.push_back(
        {"dropped_empty", "records dropped: empty", MetricSet::Kind::counter, 7});
    f.plugin_metrics.push_back({"queue depth!", "a gauge", MetricSet::Kind::gauge, -2});
    s.instances.push_back(f);
    s.channels.push_back({"write", "outputs[0]", "stdout", "stdout:V1", 1, 4096, 10, 1 << 20});
    s.process.cpu_seconds = 1.25;
    s.process.rss_bytes = 8 << 20;
    s.own.push_back({"mafio_influxdb_points_dropped_total", "dropped", 4});
    return s;
}

} // namespace

TEST_CASE("a family renders HELP, TYPE and one line per series", "[metrics]") {
    MetricFamily f{
        "mafio_x_total",
        "Things.",
        MetricFamily::Type::counter,
        {{{{"plugin", "a:V1"}, {"kind", "input"}}, MetricValue::of(3)}, {{}, MetricValue::of(4)}}};
    CHECK(prometheus_text({f}) == "# HELP mafio_x_total Things.\n"
                                  "# TYPE mafio_x_total counter\n"
                                  "mafio_x_total{plugin=\"a:V1\",kind=\"input\"} 3\n"
                                  "mafio_x_total 4\n");
}

TEST_CASE("families without series are left out", "[metrics]") {
    CHECK(prometheus_text({MetricFamily{"mafio_empty", "none", MetricFamily::Type::gauge, {}}})
              .empty());
}

TEST_CASE("label values escape backslash, quote and newline; HELP backslash and newline",
          "[metrics]") {
    CHECK(prometheus_label_value("a\\b\"c\nd") == "a\\\\b\\\"c\\nd");
    CHECK(prometheus_help("x\\y\n\"z\"") == "x\\\\y\\n\"z\"");
    MetricFamily f{
        "m", "h", MetricFamily::Type::gauge, {{{{"path", "C:\\logs\n\"x\""}}, MetricValue::of(1)}}};
    CHECK_THAT(prometheus_text({f}), Contains("m{path=\"C:\\\\logs\\n\\\"x\\\"\"} 1\n"));
}

TEST_CASE("values: integers exact, doubles shortest, non-finite by name", "[metrics]") {
    auto line = [](MetricValue v) {
        return prometheus_text({MetricFamily{"m", "h", MetricFamily::Type::gauge, {{{}, v}}}});
    };
    CHECK_THAT(line(MetricValue::of(9007199254740993)), Contains("m 9007199254740993\n"));
    CHECK_THAT(line(MetricValue::of_real(0.25)), Contains("m 0.25\n"));
    CHECK_THAT(line(MetricValue::of_real(std::nan(""))), Contains("m NaN\n"));
    CHECK_THAT(line(MetricValue::of_real(std::numeric_limits<double>::infinity())),
               Contains("m +Inf\n"));
}

TEST_CASE("a snapshot becomes the documented metric names with component labels", "[metrics]") {
    std::string text = prometheus_text(snapshot_families(one_input_snapshot()));
    CHECK_THAT(text, Contains("# TYPE mafio_records_in_total counter\n"));
    CHECK_THAT(text, Contains("mafio_records_in_total{component=\"stdin\",plugin=\"stdin:V1\","
                              "kind=\"input\"} 1000\n"));
    CHECK_THAT(text, Contains("mafio_records_dropped_total{component=\"valid\",plugin=\"valid:V1\","
                              "kind=\"filter\"} 10\n"));
    CHECK_THAT(text, Contains("mafio_bytes_in_total{component=\"stdin\",plugin=\"stdin:V1\","
                              "kind=\"input\"} 4000\n"));
    CHECK_THAT(text,
               Contains("mafio_records_unrouted_total{component=\"stdin\",plugin=\"stdin:V1\","
                        "kind=\"input\"} 3\n"));
    // No "instance" label: Prometheus owns it (ours would be renamed exported_instance).
    CHECK_THAT(text, !Contains("instance="));
    // No always-zero series for kinds a counter does not apply to.
    CHECK_THAT(text, !Contains("mafio_records_out_total{component=\"stdin\""));
    CHECK_THAT(text, !Contains("mafio_records_dropped_total{component=\"stdin\""));
    CHECK_THAT(text, !Contains("mafio_bytes_in_total{component=\"valid\""));
    CHECK_THAT(text, !Contains("mafio_retries_total{component=\"valid\""));
    CHECK_THAT(text, !Contains("mafio_instance_failing_seconds{component=\"stdin\""));
    // dropped_<reason> plugin counters form one family labelled by reason, and only that one.
    CHECK_THAT(text, Contains("mafio_records_dropped_by_reason_total{component=\"valid\","
                              "plugin=\"valid:V1\",kind=\"filter\",reason=\"empty\"} 7\n"));
    CHECK_THAT(text, !Contains("mafio_plugin_dropped_empty_total"));
    CHECK_THAT(text, !Contains("reason=\"depth\""));
    // The checkpoint lag is an input-only gauge: no filter or output series.
    CHECK_THAT(text, Contains("mafio_input_unfinished_batches{component=\"stdin\","
                              "plugin=\"stdin:V1\",kind=\"input\"} 2\n"));
    CHECK_THAT(text, !Contains("mafio_input_unfinished_batches{component=\"valid\""));
    CHECK_THAT(text, Contains("mafio_checkpoint_store_failing{component=\"stdin\","
                              "plugin=\"stdin:V1\",kind=\"input\"} 0\n"));
    // Other plugin metrics get the mafio_plugin_ prefix; odd characters become _.
    CHECK_THAT(text, Contains("# TYPE mafio_plugin_queue_depth_ gauge\n"));
    CHECK_THAT(text, Contains("mafio_plugin_queue_depth_{component=\"valid\",plugin=\"valid:V1\","
                              "kind=\"filter\"} -2\n"));
    CHECK_THAT(text, Contains("mafio_channel_capacity_records{channel=\"write\",component="
                              "\"stdout\",plugin=\"stdout:V1\"} 4096\n"));
    // The standard process collector names.
    CHECK_THAT(text, Contains("process_cpu_seconds_total 1.25\n"));
    CHECK_THAT(text, Contains("process_resident_memory_bytes 8388608\n"));
    CHECK_THAT(text, Contains("# TYPE process_start_time_seconds gauge\n"));
    CHECK_THAT(text, !Contains("mafio_process_cpu_seconds_total"));
    CHECK_THAT(text, Contains("# TYPE mafio_uptime_seconds gauge\n"));
    CHECK_THAT(text, Contains("mafio_build_info{version="));
    CHECK_THAT(text, Contains("mafio_influxdb_points_dropped_total 4\n"));
}

TEST_CASE("every family appears once, with HELP and TYPE before its series", "[metrics]") {
    AgentSnapshot s = one_input_snapshot();
    // A second instance registering the same metric joins the same family.
    InstanceSnapshot f2 = s.instances[1];
    f2.instance = "filters[1]";
    f2.id = "valid-2";
    s.instances.push_back(f2);
    std::string text = prometheus_text(snapshot_families(s));
    size_t first = text.find("# TYPE mafio_plugin_queue_depth_ gauge");
    REQUIRE(first != std::string::npos);
    CHECK(text.find("# TYPE mafio_plugin_queue_depth_ gauge", first + 1) == std::string::npos);
    CHECK_THAT(text, Contains("component=\"valid-2\",plugin=\"valid:V1\",kind=\"filter\"} -2\n"));
}

TEST_CASE("plugin metric names are made safe", "[metrics]") {
    CHECK(sanitized_metric_name("dropped_empty") == "dropped_empty");
    CHECK(sanitized_metric_name("a-b.c d") == "a_b_c_d");
    CHECK(sanitized_metric_name("9lives") == "_9lives");
    CHECK(sanitized_metric_name("") == "_");
}
