// parser:V1's formats on real-looking lines, with the exact JSON each must give.
#include "parser_core.hpp"

#include <catch2/catch.hpp>

#include <string>

using parser_v1::Config;
using parser_v1::Parser;

namespace {

Config with_format(const std::string &format) {
    Config c;
    c.format = format;
    return c;
}

// The JSON of one record, or "FAILED"; ts_ns is where the record time lands (starts at -1).
std::string parse(Parser &p, const std::string &line, int64_t *ts = nullptr) {
    std::string out = "prefix:"; // what parse() appends to must stay as it was
    int64_t t = -1;
    if (!p.parse(line, out, t)) {
        REQUIRE(out == "prefix:");
        return "FAILED";
    }
    REQUIRE(out.rfind("prefix:", 0) == 0);
    if (ts) *ts = t;
    return out.substr(7);
}

constexpr int64_t kSec = 1000000000;

} // namespace

TEST_CASE("parser nginx: combined log lines become typed fields and the record time") {
    Parser p(with_format("nginx"));
    int64_t ts = 0;
    CHECK(parse(p,
                "93.184.216.34 - alice [24/Nov/2026:10:00:01 +0100] \"GET /api/v1/users?id=7 "
                "HTTP/1.1\" 200 512 \"https://example.com/start\" \"Mozilla/5.0 (X11; Linux "
                "x86_64)\"",
                &ts) ==
          "{\"remote_addr\":\"93.184.216.34\",\"remote_user\":\"alice\",\"time\":\"24/Nov/"
          "2026:10:00:01 +0100\",\"method\":\"GET\",\"path\":\"/api/v1/"
          "users?id=7\",\"protocol\":\"HTTP/1.1\",\"status\":200,\"size\":512,\"referer\":\"https:/"
          "/example.com/start\",\"agent\":\"Mozilla/5.0 (X11; Linux x86_64)\"}");
    CHECK(ts == 1795510801 * kSec);

    SECTION("a request that is not METHOD PATH PROTOCOL is kept whole") {
        CHECK(parse(p, "10.0.0.9 - - [24/Nov/2026:10:00:01 +0000] \"\\x16\\x03\\x01\" 400 157 "
                       "\"-\" \"-\"") ==
              "{\"remote_addr\":\"10.0.0.9\",\"remote_user\":\"-\",\"time\":\"24/Nov/2026:10:00:"
              "01 +0000\",\"request\":\"\\\\x16\\\\x03\\\\x01\",\"status\":400,\"size\":157,"
              "\"referer\":\"-\",\"agent\":\"-\"}");
    }
    SECTION("the sample main format's trailing x_forwarded_for") {
        CHECK(parse(p, "10.0.0.1 - - [24/Nov/2026:10:00:01 +0000] \"HEAD / HTTP/1.0\" 304 0 \"-\" "
                       "\"curl/8.5.0\" \"203.0.113.7\"") ==
              "{\"remote_addr\":\"10.0.0.1\",\"remote_user\":\"-\",\"time\":\"24/Nov/2026:10:00:01 "
              "+0000\",\"method\":\"HEAD\",\"path\":\"/"
              "\",\"protocol\":\"HTTP/1.0\",\"status\":304,\"size\":0,\"referer\":\"-\","
              "\"agent\":\"curl/8.5.0\",\"forwarded_for\":\"203.0.113.7\"}");
    }
    SECTION("lines of another format fail") {
        CHECK(parse(p, "just some text") == "FAILED");
        CHECK(parse(p, "") == "FAILED");
        CHECK(parse(p, "10.0.0.1 - - [24/Nov/2026:10:00:01 +0000] \"GET / HTTP/1.1\" 2000 1 \"-\" "
                       "\"-\"") == "FAILED");
    }
}

TEST_CASE("parser apache_combined: combined and common lines; '-' size is null") {
    Parser p(with_format("apache_combined"));
    int64_t ts = 0;
    CHECK(parse(p,
                "192.168.2.20 - frank [24/Nov/2026:10:00:02 +0000] \"POST /cgi-bin/try.pl "
                "HTTP/1.1\" 302 - \"http://www.example.com/start.html\" \"Mozilla/4.08 [en] "
                "(Win98; I ;Nav) \\\"quoted\\\"\"",
                &ts) ==
          "{\"host\":\"192.168.2.20\",\"ident\":\"-\",\"user\":\"frank\",\"time\":\"24/Nov/"
          "2026:10:00:02 +0000\",\"method\":\"POST\",\"path\":\"/cgi-bin/"
          "try.pl\",\"protocol\":\"HTTP/"
          "1.1\",\"status\":302,\"size\":null,\"referer\":\"http://www.example.com/"
          "start.html\",\"agent\":\"Mozilla/4.08 [en] (Win98; I ;Nav) \\\\\\\"quoted\\\\\\\"\"}");
    CHECK(ts == 1795514402 * kSec);
    CHECK(parse(p, "127.0.0.1 - - [24/Nov/2026:10:00:02 +0000] \"GET /a HTTP/1.0\" 200 2326") ==
          "{\"host\":\"127.0.0.1\",\"ident\":\"-\",\"user\":\"-\",\"time\":\"24/Nov/2026:10:00:02 "
          "+0000\",\"method\":\"GET\",\"path\":\"/a\",\"protocol\":\"HTTP/"
          "1.0\",\"status\":200,\"size\":2326}");
}

TEST_CASE("parser syslog_rfc5424: header fields, structured data, nil values left out") {
    Parser p(with_format("syslog_rfc5424"));
    int64_t ts = 0;
    CHECK(parse(p,
                "<165>1 2026-11-24T11:15:30.123456+01:00 mymachine.example.com evntslog 4711 "
                "ID47 [exampleSDID@32473 iut=\"3\" eventSource=\"Application\" "
                "eventID=\"1011\"][examplePriority@32473 class=\"high\"] An application event "
                "log entry...",
                &ts) ==
          "{\"pri\":165,\"version\":1,\"time\":\"2026-11-24T11:15:30.123456+01:00\",\"host\":"
          "\"mymachine.example.com\",\"ident\":\"evntslog\",\"pid\":\"4711\",\"msgid\":\"ID47\","
          "\"extradata\":\"[exampleSDID@32473 iut=\\\"3\\\" eventSource=\\\"Application\\\" "
          "eventID=\\\"1011\\\"][examplePriority@32473 class=\\\"high\\\"]\",\"message\":\"An "
          "application event log entry...\"}");
    CHECK(ts == 1795515330 * kSec + 123456000);
    CHECK(parse(p, "<34>1 2026-11-24T10:15:30Z host su - ID47 - 'su root' failed on /dev/pts/8") ==
          "{\"pri\":34,\"version\":1,\"time\":\"2026-11-24T10:15:30Z\",\"host\":\"host\","
          "\"ident\":\"su\",\"msgid\":\"ID47\",\"message\":\"'su root' failed on /dev/pts/8\"}");
    CHECK(parse(p, "<13>1 - - - - - -") == "{\"pri\":13,\"version\":1}");
    CHECK(parse(p, "<13> not syslog") == "FAILED");
}

TEST_CASE("parser syslog_rfc3164: the year is the current one, or last year's in January") {
    Parser p(with_format("syslog_rfc3164"));
    p.set_now_for_tests(1772870709 * kSec + 3600 * kSec); // 2026-03-07 09:05:09
    int64_t ts = 0;
    CHECK(parse(p,
                "<34>Mar  7 08:05:09 mymachine su[1234]: 'su root' failed for lonvick on "
                "/dev/pts/8",
                &ts) ==
          "{\"pri\":34,\"time\":\"Mar  7 08:05:09\",\"host\":\"mymachine\",\"ident\":\"su\","
          "\"pid\":1234,\"message\":\"'su root' failed for lonvick on /dev/pts/8\"}");
    CHECK(ts == 1772870709 * kSec);
    CHECK(parse(p, "Dec 31 23:59:59 gw kernel: eth0: link up", &ts) ==
          "{\"time\":\"Dec 31 23:59:59\",\"host\":\"gw\",\"ident\":\"kernel\",\"message\":"
          "\"eth0: link up\"}");
    CHECK(ts == 1767225599 * kSec); // 2025, not the end of 2026
    CHECK(parse(p, "Mar  7 08:05:09 gw no tag here") ==
          "{\"time\":\"Mar  7 08:05:09\",\"host\":\"gw\",\"message\":\"no tag here\"}");
}

TEST_CASE("parser logfmt: bare keys, quoted values with escapes, unicode") {
    Parser p(with_format("logfmt"));
    CHECK(parse(p, "level=info msg=\"request served \\\"ok\\\"\" path=/api dur=1.5ms cached "
                   "user=zoë") ==
          "{\"level\":\"info\",\"msg\":\"request served \\\"ok\\\"\",\"path\":\"/"
          "api\",\"dur\":\"1.5ms\",\"cached\":true,\"user\":\"zoë\"}");
    CHECK(parse(p, "  a=  b=\"\"  ") == "{\"a\":\"\",\"b\":\"\"}");
    CHECK(parse(p, "msg=\"unterminated") == "FAILED");
    CHECK(parse(p, "=x") == "FAILED");
    CHECK(parse(p, "a=\"x\"y") == "FAILED");
    CHECK(parse(p, "   ") == "FAILED");
}

TEST_CASE("parser json: validated and normalised to one compact line") {
    Parser p(with_format("json"));
    CHECK(parse(p, " { \"a\" : 1,\n \"b\": {\"c\": [true, null, 2.50, -0, 1e3]},"
                   " \"s\": \"caf\\u00e9 \\ud83d\\ude00 \\/ \\u0001\\n\" } ") ==
          "{\"a\":1,\"b\":{\"c\":[true,null,2.5,0,1000]},\"s\":\"café 😀 / \\u0001\\n\"}");
    CHECK(parse(p, "{\"big\":18446744073709551615,\"neg\":-9223372036854775808}") ==
          "{\"big\":18446744073709551615,\"neg\":-9223372036854775808}");
    CHECK(parse(p, "[1,2]") == "FAILED");       // not an object
    CHECK(parse(p, "{\"a\":1} x") == "FAILED"); // trailing bytes
    CHECK(parse(p, "{\"a\":\"\xff\"}") == "FAILED");
    CHECK(parse(p, "not json") == "FAILED");
    CHECK(parse(p, std::string(100000, '[')) == "FAILED");
    // Deeper than the writer goes: refused, not a stack overflow.
    std::string deep = "{\"a\":" + std::string(300, '[') + std::string(300, ']') + "}";
    CHECK(parse(p, deep) == "FAILED");
}

TEST_CASE("parser regex: named groups become fields in pattern order") {
    Config c = with_format("regex");
    c.regex = "^(?<level>[A-Z]+) (?<rt>[0-9.]+)s (?<ok>\\w+)(?: (?<rest>.*))?$";
    c.types = {{"rt", "float"}, {"ok", "bool"}};
    Parser p(c);
    CHECK(parse(p, "INFO 0.25s true") == "{\"level\":\"INFO\",\"rt\":0.25,\"ok\":true}");
    CHECK(parse(p, "WARN 1.5s 0 tail \"x\"\t") ==
          "{\"level\":\"WARN\",\"rt\":1.5,\"ok\":false,\"rest\":\"tail \\\"x\\\"\\t\"}");
    CHECK(parse(p, "info 1s true") == "FAILED");
}
