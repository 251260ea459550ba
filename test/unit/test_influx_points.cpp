// The InfluxDB side: line protocol escaping and layout, the InfluxDB address forms, and the
// unsent-points buffer that drops the oldest lines when a dead server lets it fill up.
#include "metrics/influx_client.hpp"
#include "metrics/line_protocol.hpp"
#include "metrics/point_buffer.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace mafio;

TEST_CASE("line protocol: one line per series, tags sorted, integers with i", "[influx]") {
    MetricFamily f{"mafio_records_in_total",
                   "h",
                   MetricFamily::Type::counter,
                   {{{{"plugin", "stdin:V1"}, {"kind", "input"}, {"instance", "inputs[0]"}},
                     MetricValue::of(42)}}};
    MetricFamily g{
        "mafio_uptime_seconds", "h", MetricFamily::Type::gauge, {{{}, MetricValue::of_real(1.5)}}};
    auto lines =
        line_protocol({f, g}, {{"agent", "sky01"}, {"group", "net01"}}, 1700000000000000000);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] == "mafio_records_in_total,agent=sky01,group=net01,instance=inputs[0],"
                      "kind=input,plugin=stdin:V1 value=42i 1700000000000000000");
    CHECK(lines[1] == "mafio_uptime_seconds,agent=sky01,group=net01 value=1.5 1700000000000000000");
}

TEST_CASE("line protocol escapes commas, spaces and equals signs", "[influx]") {
    CHECK(influx_measurement("a b,c=d") == "a\\ b\\,c=d");
    CHECK(influx_tag("a b,c=d") == "a\\ b\\,c\\=d");
    CHECK(influx_tag("line\nbreak\ttab") == "line\\ break\\ tab"); // control chars end a line
    MetricFamily f{"m x",
                   "h",
                   MetricFamily::Type::gauge,
                   {{{{"path", "/var/log/my app.log"}, {"k=v", "a,b"}}, MetricValue::of(1)}}};
    auto lines = line_protocol({f}, {}, 5);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0] == "m\\ x,k\\=v=a\\,b,path=/var/log/my\\ app.log value=1i 5");
}

TEST_CASE("line protocol leaves out empty tags and non-finite values", "[influx]") {
    MetricFamily f{"m",
                   "h",
                   MetricFamily::Type::gauge,
                   {{{{"empty", ""}, {"x", "1"}}, MetricValue::of(1)},
                    {{}, MetricValue::of_real(std::nan(""))}}};
    auto lines = line_protocol({f}, {}, 7);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0] == "m,x=1 value=1i 7");
}

TEST_CASE("the unsent-points buffer keeps the newest lines and counts the dropped", "[influx]") {
    PointBuffer b(3);
    CHECK(b.add({"1", "2"}) == 0);
    CHECK(b.add({"3", "4", "5"}) == 2); // 1 and 2 go, the oldest
    CHECK(b.size() == 3);
    CHECK(b.dropped() == 2);
    size_t n = 0;
    CHECK(b.front_body(2, n) == "3\n4\n");
    CHECK(n == 2);
    b.consume(n);
    CHECK(b.front_body(10, n) == "5\n");
    CHECK(n == 1);
    CHECK(b.add({"6", "7", "8", "9"}) == 2); // 5 and 6
    CHECK(b.front_body(10, n) == "7\n8\n9\n");
    CHECK(b.dropped() == 4);
    b.consume(99);
    CHECK(b.empty());
}

TEST_CASE("InfluxDB addresses: host:port or an http URL with an optional path", "[influx]") {
    std::string error;
    auto a = parse_influx_endpoint("127.0.0.1:8086", error);
    REQUIRE(a);
    CHECK(a->host == "127.0.0.1");
    CHECK(a->port == 8086);
    CHECK(a->base_path.empty());
    auto b = parse_influx_endpoint("http://influx.local:9999/proxy/", error);
    REQUIRE(b);
    CHECK(b->host == "influx.local");
    CHECK(b->port == 9999);
    CHECK(b->base_path == "/proxy");
    auto c = parse_influx_endpoint("[::1]:8086", error);
    REQUIRE(c);
    CHECK(c->host == "::1");
    CHECK_FALSE(parse_influx_endpoint("https://influx:8086", error));
    CHECK_THAT(error, Catch::Contains("https is not supported"));
    CHECK_FALSE(parse_influx_endpoint("influx", error));
    CHECK_FALSE(parse_influx_endpoint("influx:0", error));
}
