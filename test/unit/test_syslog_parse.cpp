// syslog:V1's pure pieces: RFC 5424 and RFC 3164 parsing, the JSON record, RFC 6587 stream
// framing (split across reads at every byte), listen addresses, and random bytes thrown at all
// of them (never a crash, never a read outside the input: run under `make sanitize`).
#include "../../plugins/syslog/V1/json_render.cpp"
#include "../../plugins/syslog/V1/listen_address.cpp"
#include "../../plugins/syslog/V1/stream_framer.hpp"
#include "../../plugins/syslog/V1/syslog_message.cpp"

#include <catch2/catch.hpp>

#include "zone_guard.hpp"

#include <random>
#include <string>
#include <utility>
#include <vector>

using namespace syslog_v1;
using mafio::test::ZoneGuard;

namespace {

constexpr int64_t kNow = 1796032521LL * 1000000000; // 2026-11-30T09:55:21Z

Message parse(std::string_view s, LocalClock &clock) {
    return parse_message(s, kNow, clock);
}

std::string json_of(std::string_view frame, bool truncated = false) {
    LocalClock clock;
    const Message m = parse_message(frame, kNow, clock);
    std::string out;
    render_json(m, frame, truncated, utf8_valid_prefix(frame) == frame.size(), out);
    return out;
}

using Frames = std::vector<std::pair<std::string, bool>>;

Frames frame_all(StreamFramer &f, const std::vector<std::string> &chunks, bool finish = true) {
    Frames out;
    auto sink = [&](std::string_view m, bool t) { out.emplace_back(std::string(m), t); };
    for (const auto &c : chunks)
        f.feed(c, sink);
    if (finish) f.finish(sink);
    return out;
}

} // namespace

TEST_CASE("syslog RFC 5424: the RFC's examples", "[syslog]") {
    LocalClock clock;
    SECTION("example 1: no STRUCTURED-DATA, a BOM before MSG") {
        const std::string s = "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - "
                              "\xEF\xBB\xBF'su root' failed for lonvick on /dev/pts/8";
        const Message m = parse(s, clock);
        REQUIRE(m.error == nullptr);
        CHECK(m.protocol == Protocol::rfc5424);
        CHECK(m.pri == 34);
        CHECK(m.timestamp == "2003-10-11T22:14:15.003Z");
        CHECK(m.ts_ns == 1065910455003000000LL);
        CHECK(m.host == "mymachine.example.com");
        CHECK(m.app == "su");
        CHECK(m.procid.empty());
        CHECK(m.msgid == "ID47");
        CHECK(m.sd.empty());
        CHECK(m.bom);
        CHECK(m.msg == "'su root' failed for lonvick on /dev/pts/8");
    }
    SECTION("example 2: a time offset, NILVALUE fields") {
        const Message m = parse("<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - "
                                "%% It's time to make the do-nuts.",
                                clock);
        REQUIRE(m.error == nullptr);
        CHECK(m.ts_ns == (1061727255LL + 0) * 1000000000 + 3000);
        CHECK(m.procid == "8710");
        CHECK(m.msgid.empty());
        CHECK(m.msg == "%% It's time to make the do-nuts.");
    }
    SECTION("example 4: SD-ELEMENTs, no MSG") {
        const Message m =
            parse("<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 "
                  "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"]"
                  "[examplePriority@32473 class=\"high\"]",
                  clock);
        REQUIRE(m.error == nullptr);
        CHECK(m.sd == "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" "
                      "eventID=\"1011\"][examplePriority@32473 class=\"high\"]");
        CHECK(m.msg.empty());
    }
    SECTION("NILVALUE timestamp: no time") {
        const Message m = parse("<13>1 - - - - - - hello", clock);
        REQUIRE(m.error == nullptr);
        CHECK(m.ts_ns == 0);
        CHECK(m.timestamp.empty());
        CHECK(m.host.empty());
        CHECK(m.msg == "hello");
    }
}

TEST_CASE("syslog RFC 5424: SD escapes and the JSON record", "[syslog]") {
    const std::string s = R"(<14>1 2026-11-30T10:00:00+01:00 h a 1 m [id@1 k="a\"b\\c\]d" )"
                          R"(r="1" r="2" e="x\ny"][id@2][id@1 z="9"] msg "quoted")";
    CHECK(json_of(s) ==
          R"({"pri":14,"facility":"user","severity":"info","protocol":"rfc5424",)"
          R"("timestamp":"2026-11-30T10:00:00+01:00","host":"h","app":"a","procid":"1",)"
          R"("msgid":"m","sd":{"id@1":{"k":"a\"b\\c]d","r":["1","2"],"e":"x\\ny","z":"9"},)"
          R"("id@2":{}},"message":"msg \"quoted\""})");
}

TEST_CASE("syslog RFC 5424: broken headers are errors, with the frame kept", "[syslog]") {
    LocalClock clock;
    for (const char *bad : {"<13>1 2026-13-01T00:00:00Z h a p m - x", "<13>1 yesterday h a p m - x",
                            "<13>1 - h a", "<13>1 - h a p m [broken", "<13>1 - h a p m [id k=v]",
                            "<13>1 - h a p m -x", "<13>1 2026-11-30T10:00:00 h a p m - x"}) {
        INFO(bad);
        const Message m = parse(bad, clock);
        CHECK(m.error != nullptr);
        CHECK(m.pri == 13);
        CHECK(m.msg == bad);
        CHECK(m.ts_ns == 0);
        const std::string j = json_of(bad);
        CHECK(j.find("\"parse_error\":") != std::string::npos);
        CHECK(j.find("\"raw\":") != std::string::npos);
    }
}

TEST_CASE("syslog: no PRI is malformed, any format", "[syslog]") {
    LocalClock clock;
    for (const char *bad : {"hello", "", "<>x", "<192>x", "<013>x", "<1234>x", "<13", "13> x"}) {
        INFO(bad);
        const Message m = parse(bad, clock);
        CHECK(m.error != nullptr);
        CHECK(m.pri == -1);
        CHECK(m.msg == bad);
    }
    CHECK(json_of("hello") ==
          R"({"parse_error":"no PRI: a syslog message starts with <0> to <191>","raw":"hello"})");
}

TEST_CASE("syslog RFC 3164 variants", "[syslog]") {
    ZoneGuard zone("UTC0");
    LocalClock clock;
    SECTION("timestamp, host, tag[pid]") {
        const Message m = parse("<34>Oct 11 22:14:15 mymachine su[123]: 'su root' failed", clock);
        REQUIRE(m.error == nullptr);
        CHECK(m.protocol == Protocol::rfc3164);
        CHECK(m.timestamp == "Oct 11 22:14:15");
        CHECK(m.ts_ns == 1791756855LL * 1000000000); // 2026 (nearest to the receive time)
        CHECK(m.host == "mymachine");
        CHECK(m.app == "su");
        CHECK(m.procid == "123");
        CHECK(m.msg == "'su root' failed");
    }
    SECTION("no hostname (syslog(3) writing to /dev/log), a space-padded day") {
        const Message m = parse("<13>Nov  3 01:02:03 myapp: hello world", clock);
        REQUIRE(m.error == nullptr);
        CHECK(m.host.empty());
        CHECK(m.app == "myapp");
        CHECK(m.procid.empty());
        CHECK(m.msg == "hello world");
    }
    SECTION("a year in the timestamp") {
        const Message m = parse("<13>Jan  5 2024 01:02:03 host tag: x", clock);
        REQUIRE(m.error == nullptr);
        CHECK(m.ts_ns == 1704416523LL * 1000000000);
        CHECK(m.host == "host");
        CHECK(m.app == "tag");
    }
    SECTION("a December message received in January is from the previous year") {
        const int64_t jan = 1798761600LL * 1000000000; // 2027-01-01T00:00:00Z
        const Message m = parse_message("<13>Dec 31 23:59:59 h t: x", jan, clock);
        CHECK(m.ts_ns == 1798761599LL * 1000000000);
    }
    SECTION("an RFC 3339 timestamp (rsyslog's forwarding format)") {
        const Message m = parse("<30>2026-11-30T10:00:00.5+00:00 web1 nginx[9]: GET /", clock);
        REQUIRE(m.error == nullptr);
        CHECK(m.ts_ns == 1796032800LL * 1000000000 + 500000000);
        CHECK(m.host == "web1");
        CHECK(m.app == "nginx");
        CHECK(json_of("<30>2026-11-30T10:00:00.5+00:00 web1 nginx[9]: GET /")
                  .find(R"("timestamp":"2026-11-30T10:00:00.5+00:00")") != std::string::npos);
    }
    SECTION("no timestamp: content only, record time = receive time") {
        const Message m = parse("<13>just text", clock);
        REQUIRE(m.error == nullptr);
        CHECK(m.ts_ns == 0);
        CHECK(m.host.empty());
        CHECK(m.msg == "just text");
    }
    SECTION("no tag") {
        const Message m = parse("<13>Nov 30 09:00:00 host some words here", clock);
        CHECK(m.host == "host");
        CHECK(m.app.empty());
        CHECK(m.msg == "some words here");
    }
    SECTION("the JSON timestamp is resolved to UTC") {
        CHECK(json_of("<13>Nov 30 09:00:00 host t[1]: m") ==
              R"({"pri":13,"facility":"user","severity":"notice","protocol":"rfc3164",)"
              R"("timestamp":"2026-11-30T09:00:00Z","host":"host","app":"t","procid":"1",)"
              R"("message":"m"})");
    }
}

TEST_CASE("syslog RFC 3164 in a zone with an offset", "[syslog]") {
    ZoneGuard zone("CET-1CEST,M3.5.0,M10.5.0/3");
    LocalClock clock;
    const Message m = parse("<13>Jul  1 12:00:00 h t: x", clock);
    CHECK(m.ts_ns == 1782900000LL * 1000000000); // 2026-07-01T10:00:00Z (CEST = UTC+2)
}

TEST_CASE("syslog JSON: non-UTF-8 replaced and marked, control bytes escaped", "[syslog]") {
    const std::string s = "<13>1 - h a - - - caf\xE9 \x01";
    const std::string j = json_of(s);
    CHECK(j.find("\"message\":\"caf\xEF\xBF\xBD \\u0001\"") != std::string::npos);
    CHECK(j.find("\"parse_error\":\"not valid UTF-8") != std::string::npos);
    CHECK(utf8_valid_prefix(s) == s.find('\xE9'));
    CHECK(json_of("<13>1 - h a - - - x", true).find("\"truncated\":true") != std::string::npos);
    // Overlong, surrogate, above U+10FFFF, truncated sequences: all invalid.
    for (const char *bad : {"\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE2\x82"})
        CHECK(utf8_valid_prefix(bad) == 0);
    CHECK(utf8_valid_prefix("\xE2\x82\xAC\xF0\x9F\x98\x80") == 7);
}

TEST_CASE("syslog RFC 6587 framing", "[syslog]") {
    SECTION("octet counting and newline framing, mixed per frame") {
        StreamFramer f(1024);
        CHECK(frame_all(f, {"5 <1>ab3 <2>\n<3>line\r\n\n<4>last"}) ==
              Frames{{"<1>ab", false}, {"<2>", false}, {"<3>line", false}, {"<4>last", false}});
    }
    SECTION("split across reads at every byte") {
        const std::string stream = "11 <13>1 - - -\n<14>newline\n10 <15>x y z\n\n" +
                                   std::string("24 <13>1 - h a - - - ") + "\xEF\xBB\xBFmsg";
        const Frames want = {{"<13>1 - - -", false},
                             {"<14>newline", false},
                             {"<15>x y z", false},
                             {std::string("<13>1 - h a - - - \xEF\xBB\xBFmsg"), false}};
        for (size_t cut = 0; cut <= stream.size(); ++cut) {
            for (size_t cut2 = cut; cut2 <= stream.size(); cut2 += 7) {
                StreamFramer f(1024);
                INFO("cuts " << cut << " " << cut2);
                CHECK(frame_all(f, {stream.substr(0, cut), stream.substr(cut, cut2 - cut),
                                    stream.substr(cut2)}) == want);
            }
        }
        StreamFramer bytewise(1024);
        std::vector<std::string> bytes;
        for (char c : stream)
            bytes.emplace_back(1, c);
        CHECK(frame_all(bytewise, bytes) == want);
    }
    SECTION("too long: cut, flagged, the rest skipped (both framings)") {
        StreamFramer f(8);
        CHECK(frame_all(f, {"12 <1>abcdefghi", "<2>ok\n<3>0123456789", "ABCDEF\n4 <4>y"}) ==
              Frames{{"<1>abcde", true}, {"<2>ok", false}, {"<3>01234", true}, {"<4>y", false}});
        CHECK(f.held() == 0);
    }
    SECTION("an incomplete frame at the end is delivered truncated; a last line as it is") {
        StreamFramer f(100);
        CHECK(frame_all(f, {"50 <1>short"}) == Frames{{"<1>short", true}});
        CHECK(frame_all(f, {"<2>no newline"}) == Frames{{"<2>no newline", false}});
    }
    SECTION("an idle or half-sent connection holds only its partial frame") {
        StreamFramer f(1 << 20);
        CHECK(frame_all(f, {"1000 <1>abc"}, false).empty());
        CHECK(f.held() == 11);
    }
}

TEST_CASE("syslog listen addresses", "[syslog]") {
    auto a = parse_listen_address("udp://127.0.0.1:5514");
    CHECK(a.transport == Transport::udp);
    CHECK(a.host == "127.0.0.1");
    CHECK(a.port == 5514);
    a = parse_listen_address("tcp://[::1]:6514");
    CHECK(a.transport == Transport::tcp);
    CHECK(a.host == "::1");
    a = parse_listen_address("unix:///run/mafio/log.sock");
    CHECK(a.transport == Transport::unix_dgram);
    CHECK(a.path == "/run/mafio/log.sock");
    for (const char *bad :
         {"127.0.0.1:514", "udp://127.0.0.1", "udp://:514", "tcp://h:0", "tcp://h:65536",
          "tcp://::1:514", "unix://relative", "ftp://h:1", "udp://h:5x"}) {
        INFO(bad);
        CHECK_THROWS_WITH(parse_listen_address(bad),
                          Catch::Contains("expected \"udp://HOST:PORT\""));
    }
}

TEST_CASE("syslog parsers survive random bytes", "[syslog]") {
    std::mt19937_64 rng(20261130);
    const std::string alphabet = "<>[]=\"\\ -:0123456789TZ.+\n\r\xEF\xBB\xBF\xE9\x80"
                                 "abcNovJan1";
    LocalClock clock;
    for (int round = 0; round < 20000; ++round) {
        std::string s;
        const size_t len = rng() % 200;
        const bool structured = rng() % 2;
        if (structured) s = rng() % 2 ? "<13>1 " : "<165>";
        for (size_t i = 0; i < len; ++i)
            s += rng() % 3 ? alphabet[rng() % alphabet.size()] : static_cast<char>(rng());
        const Message m = parse_message(s, kNow, clock);
        // Every view points into the input.
        for (std::string_view v : {m.timestamp, m.host, m.app, m.procid, m.msgid, m.sd, m.msg})
            if (!v.empty()) {
                CHECK(v.data() >= s.data());
                CHECK(v.data() + v.size() <= s.data() + s.size());
            }
        std::string out;
        render_json(m, s, false, utf8_valid_prefix(s) == s.size(), out);
        CHECK(utf8_valid_prefix(out) == out.size());
        CHECK(out.front() == '{');
        CHECK(out.back() == '}');
        StreamFramer f(64);
        size_t total = 0;
        auto sink = [&](std::string_view frame, bool) {
            CHECK(frame.size() <= 64);
            total += frame.size();
        };
        size_t at = 0;
        while (at < s.size()) {
            const size_t n = 1 + rng() % 40;
            f.feed(std::string_view(s).substr(at, n), sink);
            at += n;
        }
        f.finish(sink);
        CHECK(total <= s.size());
        CHECK(f.held() == 0);
    }
}
