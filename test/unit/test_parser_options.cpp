// parser:V1's options: key, types, time_key/time_format, keep_original, and option errors.
#include "parser_core.hpp"

#include <catch2/catch.hpp>

#include <string>

using parser_v1::Config;
using parser_v1::ConfigError;
using parser_v1::Parser;

namespace {

std::string run(Parser &p, const std::string &line, int64_t *ts = nullptr) {
    std::string out;
    int64_t t = ts ? *ts : -1;
    if (!p.parse(line, out, t)) return "FAILED";
    if (ts) *ts = t;
    return out;
}

// The option a config is refused for, and (part of) why.
std::string refusal(const Config &c) {
    try {
        Parser p(c);
    } catch (const ConfigError &e) {
        return e.option + ": " + e.what();
    }
    return "accepted";
}

constexpr int64_t kSec = 1000000000;

} // namespace

TEST_CASE("parser key: one field of a JSON record is parsed and merged in") {
    Config c;
    c.format = "nginx";
    c.key = "log";
    Parser p(c);
    int64_t ts = 0;
    CHECK(run(p,
              "{\"stream\":\"stdout\",\"log\":\"10.1.2.3 - - [24/Nov/2026:10:00:01 +0100] \\\"GET "
              "/ HTTP/1.1\\\" 500 3 \\\"-\\\" \\\"k8s\\\"\",\"status\":\"old\",\"k\":{\"pod\":"
              "\"web-1\"}}",
              &ts) ==
          "{\"stream\":\"stdout\",\"log\":\"10.1.2.3 - - [24/Nov/2026:10:00:01 +0100] \\\"GET / "
          "HTTP/1.1\\\" 500 3 \\\"-\\\" \\\"k8s\\\"\",\"k\":{\"pod\":\"web-1\"},\"remote_addr\":"
          "\"10.1.2.3\",\"remote_user\":\"-\",\"time\":\"24/Nov/2026:10:00:01 "
          "+0100\",\"method\":\"GET\",\"path\":\"/"
          "\",\"protocol\":\"HTTP/"
          "1.1\",\"status\":500,\"size\":3,\"referer\":\"-\",\"agent\":\"k8s\"}");
    CHECK(ts == 1795510801 * kSec);
    CHECK(run(p, "not json") == "FAILED");
    CHECK(run(p, "{\"other\":1}") == "FAILED");
    CHECK(run(p, "{\"log\":42}") == "FAILED");
    CHECK(run(p, "{\"log\":\"not nginx\"}") == "FAILED");

    SECTION("a dotted key and an embedded JSON document") {
        Config j;
        j.format = "json";
        j.key = "kubernetes.payload";
        Parser q(j);
        CHECK(run(q, "{\"kubernetes\":{\"payload\":\"{\\\"a\\\":{\\\"b\\\":\\\"\\\\u00fc\\\"},"
                     "\\\"n\\\":1}\"},\"x\":true}") ==
              "{\"kubernetes\":{\"payload\":\"{\\\"a\\\":{\\\"b\\\":\\\"\\\\u00fc\\\"},\\\"n\\\":"
              "1}\"},\"x\":true,\"a\":{\"b\":\"ü\"},\"n\":1}");
    }
}

TEST_CASE("parser types: int, float, bool, string; failures stay strings and are counted") {
    Config c;
    c.format = "logfmt";
    c.types = {{"status", "int"}, {"rt", "float"}, {"ok", "bool"}, {"id", "string"}};
    Parser p(c);
    CHECK(run(p, "status=404 rt=0.003 ok=false id=7") ==
          "{\"status\":404,\"rt\":0.003,\"ok\":false,\"id\":\"7\"}");
    CHECK(p.take_type_errors() == 0);
    CHECK(run(p, "status=abc rt=1e999 ok=maybe") ==
          "{\"status\":\"abc\",\"rt\":\"1e999\",\"ok\":\"maybe\"}");
    CHECK(p.take_type_errors() == 3);
    CHECK(p.take_type_errors() == 0); // taken
    CHECK(run(p, "status=- rt=") == "{\"status\":null,\"rt\":null}");
    CHECK(p.take_type_errors() == 0);

    SECTION("in JSON records: strings convert, other values stay as they are") {
        Config j;
        j.format = "json";
        j.types = {{"status", "int"}, {"rt", "float"}, {"code", "string"}};
        Parser q(j);
        CHECK(run(q, "{\"status\":\"200\",\"rt\":\"0.5\",\"code\":12,\"n\":\"3\"}") ==
              "{\"status\":200,\"rt\":0.5,\"code\":\"12\",\"n\":\"3\"}");
        CHECK(run(q, "{\"status\":201}") == "{\"status\":201}");
    }
    SECTION("presets' types can be overridden") {
        Config n;
        n.format = "nginx";
        n.types = {{"status", "string"}};
        Parser q(n);
        CHECK(run(q, "1.2.3.4 - - [24/Nov/2026:10:00:01 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" "
                     "\"-\"")
                  .find("\"status\":\"200\",\"size\":5") != std::string::npos);
    }
}

TEST_CASE("parser time_key and time_format set the record time") {
    Config c;
    c.format = "json";
    c.time_key = "meta.at";
    c.time_format = "%Y-%m-%dT%H:%M:%S%f%z";
    Parser p(c);
    int64_t ts = 0;
    CHECK(run(p, "{\"meta\":{\"at\":\"2024-02-29T12:00:00.5Z\"}}", &ts) ==
          "{\"meta\":{\"at\":\"2024-02-29T12:00:00.5Z\"}}");
    CHECK(ts == 1709208000 * kSec + 500000000);
    CHECK(run(p, "{\"meta\":{\"at\":\"2024-02-29T13:30:00,000000001+01:30\"}}", &ts) != "FAILED");
    CHECK(ts == 1709208000 * kSec + 1);
    // An unreadable time: the record still parses, keeps its time, and the error is counted.
    ts = 77;
    CHECK(run(p, "{\"meta\":{\"at\":\"2023-02-29T12:00:00Z\"}}", &ts) != "FAILED");
    CHECK(ts == 77);
    CHECK(run(p, "{\"meta\":{\"at\":\"yesterday\"}}", &ts) != "FAILED");
    CHECK(p.take_time_errors() == 2);
    // No time field: nothing to read, nothing counted.
    ts = 77;
    CHECK(run(p, "{\"other\":1}", &ts) == "{\"other\":1}");
    CHECK(ts == 77);
    CHECK(p.take_time_errors() == 0);

    SECTION("epoch seconds, numbers included") {
        Config e;
        e.format = "json";
        e.time_key = "t";
        e.time_format = "%s%f";
        Parser q(e);
        CHECK(run(q, "{\"t\":1709208000.25}", &ts) != "FAILED");
        CHECK(ts == 1709208000 * kSec + 250000000);
        CHECK(run(q, "{\"t\":\"1709208000\"}", &ts) != "FAILED");
        CHECK(ts == 1709208000 * kSec);
    }
    SECTION("named zones") {
        Config z;
        z.format = "logfmt";
        z.time_key = "at";
        z.time_format = "%a %b %d %I:%M:%S %p %Z %Y";
        Parser q(z);
        CHECK(run(q, "at=\"Tue Nov 24 10:00:00 AM EST 2026\"", &ts) != "FAILED");
        CHECK(ts == 1795532400 * kSec);
        CHECK(run(q, "at=\"Tue Nov 24 03:00:00 PM UTC 2026\"", &ts) != "FAILED");
        CHECK(ts == 1795532400 * kSec);
        CHECK(run(q, "at=\"Tue Nov 24 03:00:00 PM XYZ 2026\"") != "FAILED");
        CHECK(q.take_time_errors() == 1);
    }
}

TEST_CASE("parser keep_original keeps the raw record; it wins over a parsed field") {
    Config c;
    c.format = "logfmt";
    c.keep_original = "raw";
    Parser p(c);
    CHECK(run(p, "a=1 raw=x b=\"\x01\xff\"") ==
          "{\"a\":\"1\",\"b\":\"\\u0001\xEF\xBF\xBD\",\"raw\":\"a=1 raw=x "
          "b=\\\"\\u0001\xEF\xBF\xBD\\\"\"}");
}

TEST_CASE("parser options are checked at create, naming the option") {
    Config c;
    c.format = "yaml";
    CHECK(refusal(c).rfind("format: expected one of \"json\"", 0) == 0);
    c.format = "regex";
    CHECK(refusal(c).rfind("regex: required with format \"regex\"", 0) == 0);
    c.regex = "(unclosed";
    CHECK(refusal(c).rfind("regex: invalid regular expression at offset 9", 0) == 0);
    c.regex = "no groups";
    CHECK(refusal(c).rfind("regex: has no named group", 0) == 0);
    c.format = "nginx";
    CHECK(refusal(c).rfind("regex: only used with format \"regex\"", 0) == 0);
    c = Config{};
    c.types = {{"rt", "real"}};
    CHECK(refusal(c) == "types.rt: expected \"int\", \"float\", \"bool\" or \"string\", got "
                        "\"real\"");
    c = Config{};
    c.time_key = "t";
    CHECK(refusal(c).rfind("time_format: required with time_key", 0) == 0);
    c.time_format = "%Y-%Q";
    CHECK(refusal(c).rfind("time_format: unknown directive \"%Q\"", 0) == 0);
    c = Config{};
    c.time_format = "%Y";
    CHECK(refusal(c).rfind("time_format: needs time_key", 0) == 0);
}
