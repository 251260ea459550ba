// What the libFuzzer targets check (test/fuzz/parser_fuzz_check.hpp), run in every build on
// seeded inputs: each parser:V1 format, key mode, grep:V1 and the time parser get thousands
// of random byte strings and mutations of real-looking records (bytes flipped, inserted,
// deleted, cut, parts swapped). A fixed seed: the same inputs on every run.
#include "../fuzz/parser_fuzz_check.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace {

struct Rng {
    uint64_t state;
    uint64_t next() { // splitmix64
        uint64_t z = (state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    size_t below(size_t n) { return n ? static_cast<size_t>(next() % n) : 0; }
};

const std::vector<std::string> kLines = {
    "93.184.216.34 - alice [24/Nov/2026:10:00:01 +0100] \"GET /a?b=1 HTTP/1.1\" 200 512 "
    "\"https://example.com/\" \"Mozilla/5.0 (X11)\" \"203.0.113.7\"",
    "192.168.2.20 - frank [24/Nov/2026:10:00:02 +0000] \"POST /x HTTP/1.1\" 302 - \"-\" "
    "\"Mozilla/4.08 \\\"q\\\"\"",
    "<165>1 2026-11-24T11:15:30.123456+01:00 host app 4711 ID47 [id@1 a=\"3\" b=\"x\\]\"] msg",
    "<34>Mar  7 08:05:09 mymachine su[1234]: 'su root' failed on /dev/pts/8",
    "level=info msg=\"a \\\"b\\\" c\" rt=0.5 ok=true status=200 time=\"2026-11-24T10:00:00.5Z\" f",
    "{\"a\":{\"b\":[1,2.5,\"\\u00e9\\ud83d\\ude00\"]},\"status\":\"200\",\"rt\":\"0.5\","
    "\"time\":\"2026-11-24T10:00:00Z\",\"s\":7}",
    "{\"log\":\"level=warn msg=\\\"x\\\" status=503 a=\\u0001\",\"k\":{\"p\":1}}",
    "key=value rest of it \xff\xfe\x01",
};

// The lines, and each as the "log" field of a JSON record (for key mode).
std::vector<std::string> with_records(const std::vector<std::string> &lines) {
    std::vector<std::string> all = lines;
    for (const auto &l : lines) {
        std::string r = "{\"stream\":\"stdout\",\"log\":";
        mafio_plugins::append_json_string(r, l);
        all.push_back(r + "}");
    }
    return all;
}
const std::vector<std::string> kSeeds = with_records(kLines);

// Characters the formats care about, so that mutations hit their edges often.
constexpr char kSpecial[] = "\"\\{}[]:,=<> -./+0123456789Zz\x00\x01\x7f\xc3\xa9\xff\n\t";

std::string mutate(Rng &r, std::string s) {
    const size_t edits = 1 + r.below(6);
    for (size_t e = 0; e < edits; ++e) {
        const size_t at = r.below(s.size() + 1);
        switch (r.below(6)) {
        case 0: // flip a byte
            if (!s.empty()) s[r.below(s.size())] = static_cast<char>(r.next());
            break;
        case 1: // insert a special byte
            s.insert(at, 1, kSpecial[r.below(sizeof kSpecial - 1)]);
            break;
        case 2: // delete a run
            if (at < s.size()) s.erase(at, 1 + r.below(8));
            break;
        case 3: // cut
            s.resize(at);
            break;
        case 4: { // duplicate a run somewhere else
            if (s.empty()) break;
            const size_t from = r.below(s.size());
            s.insert(at, s.substr(from, 1 + r.below(16)));
            break;
        }
        default: // splice in the start of another seed
            s.insert(at, kSeeds[r.below(kSeeds.size())].substr(0, r.below(40)));
        }
    }
    return s;
}

std::string random_bytes(Rng &r) {
    std::string s(r.below(200), '\0');
    for (char &c : s)
        c = r.below(4) ? kSpecial[r.below(sizeof kSpecial - 1)] : static_cast<char>(r.next());
    return s;
}

template <class Check> void feed(uint64_t seed, Check &&check) {
    Rng r{seed};
    for (const auto &s : kSeeds)
        check(s);
    for (int i = 0; i < 20000; ++i)
        check(i % 4 == 0 ? random_bytes(r) : mutate(r, kSeeds[r.below(kSeeds.size())]));
}

} // namespace

TEST_CASE("parser formats keep their properties on seeded random and mutated input") {
    for (const char *format : {"nginx", "apache_combined", "syslog_rfc5424", "syslog_rfc3164",
                               "logfmt", "json", "regex"}) {
        for (const char *key : {"", "log"}) {
            INFO("format " << format << ", key \"" << key << "\"");
            parser_v1::Parser p = parser_fuzz::make(format, key);
            size_t ok = 0;
            feed(42, [&](const std::string &input) {
                INFO("input: " << input);
                const char *problem = parser_fuzz::check_parser(p, input);
                REQUIRE(problem == nullptr);
                std::string out;
                int64_t ts = 0;
                ok += p.parse(input, out, ts);
            });
            CHECK(ok > 0); // the seeds at least parse: the inputs reach past the first check
        }
    }
}

TEST_CASE("grep and the time parser keep their properties on seeded input") {
    grep_v1::GrepRules g;
    parser_fuzz::add_grep_rules(g);
    feed(7, [&](const std::string &input) {
        INFO("input: " << input);
        REQUIRE(parser_fuzz::check_grep(g, input) == nullptr);
    });
    mafio_plugins::TimeParser t("%Y-%m-%dT%H:%M:%S%f%z");
    mafio_plugins::TimeParser s("%s%f");
    Rng r{9};
    for (int i = 0; i < 20000; ++i) {
        std::string text =
            mutate(r, i % 2 ? "2026-11-24T10:00:00.123456789+01:00" : "99999999999.9999999999");
        (void)t.parse(text); // UBSan (make sanitize) watches the arithmetic
        (void)s.parse(text);
    }
    CHECK(s.parse("9223372035") == 9223372035 * int64_t{1000000000});
    CHECK(!s.parse("9223372036"));
    CHECK(!t.parse("9999-12-31T23:59:59Z"));
}
