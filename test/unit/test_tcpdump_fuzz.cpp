// tcpdump:V1's fuzz entry point (test/fuzz/fuzz_tcpdump.cpp) over many seeded random inputs, so
// that every build, g++ included, runs it: no crash, no sanitizer report in sanitized builds,
// and every record it produces is one valid JSON object. Inputs mix random bytes with
// fragments of HTTP so the parser gets past its first line.
#include "../../plugins/tcpdump/V1/fuzz_entry.hpp"

#include <catch2/catch.hpp>
#include <rapidjson/document.h>

#include <random>

TEST_CASE("tcpdump fuzz entry: seeded random scripts") {
    static const char *const pieces[] = {"GET /a HTTP/1.1\r\n",
                                         "Host: x\r\n",
                                         "\r\n",
                                         "Content-Length: 5\r\n",
                                         "Transfer-Encoding: chunked\r\n",
                                         "HTTP/1.1 200 OK\r\n",
                                         "5\r\nhello\r\n",
                                         "0\r\n\r\n",
                                         "HTTP/1.0 204 No\r\n",
                                         "POST /p HTTP/1.1\r\n",
                                         "HEAD / HTTP/1.1\r\n",
                                         "fffffff\r\n"};
    size_t records = 0;
    for (uint32_t seed = 1; seed <= 3000; ++seed) {
        std::mt19937 rng(seed);
        std::string in;
        const size_t parts = rng() % 24;
        for (size_t i = 0; i < parts; ++i) {
            if (rng() % 3 == 0) {
                in += pieces[rng() % (sizeof pieces / sizeof *pieces)];
            } else {
                const size_t n = rng() % 16;
                for (size_t k = 0; k < n; ++k)
                    in += static_cast<char>(rng() % 256);
            }
        }
        const auto out =
            tcpdump_v1::fuzz_tcpdump(reinterpret_cast<const uint8_t *>(in.data()), in.size());
        for (const auto &r : out) {
            rapidjson::Document d;
            d.Parse(r.c_str(), r.size());
            INFO("seed " << seed << ": " << r);
            REQUIRE_FALSE(d.HasParseError());
            REQUIRE(d.IsObject());
        }
        records += out.size();
    }
    CHECK(records > 0); // the scripts do reach the record path
}
