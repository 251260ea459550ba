// http:V1's pure pieces: Retry-After parsing, how a write is split into requests, and the JSON
// text of records (escaping, invalid UTF-8, JSON objects passed as they are), dead-letter lines
// and their rotation.
#include "../../plugins/http/V1/body.hpp"
#include "../../plugins/http/V1/dead_letter.hpp"
#include "../../plugins/http/V1/json_text.hpp"
#include "../../plugins/http/V1/retry_after.hpp"

#include <catch2/catch.hpp>

#include "temp_dir.hpp"

#include <filesystem>
#include <string>
#include <vector>

using namespace http_v1;

namespace {

// A batch over `recs`, with no '\n' between records in the arena (as a filter could leave it).
struct TestBatch {
    explicit TestBatch(const std::vector<std::string> &recs) {
        for (const auto &r : recs) {
            records.push_back(mafio_record{arena.size(), static_cast<uint32_t>(r.size()), 0, 0});
            arena += r;
        }
        view.arena = reinterpret_cast<uint8_t *>(arena.data());
        view.arena_size = arena.size();
        view.records = records.data();
        view.count = static_cast<uint32_t>(records.size());
    }
    std::string arena;
    std::vector<mafio_record> records;
    mafio_batch view{};
};

std::string json(std::string_view s) {
    std::string out;
    append_json_string(out, s);
    return out;
}

std::string record(std::string_view s) {
    std::string out;
    append_json_record(out, s);
    return out;
}

} // namespace

TEST_CASE("Retry-After: delay-seconds", "[http_output]") {
    CHECK(retry_after_seconds("120", 0) == Approx(120));
    CHECK(retry_after_seconds(" 0 ", 0) == Approx(0));
    CHECK(retry_after_seconds("99999999999999999999999", 0).value() > 1e20); // no overflow
    CHECK_FALSE(retry_after_seconds("", 0));
    CHECK_FALSE(retry_after_seconds("-5", 0));
    CHECK_FALSE(retry_after_seconds("1.5", 0));
    CHECK_FALSE(retry_after_seconds("soon", 0));
}

TEST_CASE("Retry-After: the three HTTP-date forms", "[http_output]") {
    const int64_t t = 784111777; // Sun, 06 Nov 1994 08:49:37 GMT
    CHECK(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT") == t);
    CHECK(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT") == t);
    CHECK(parse_http_date("Sun Nov  6 08:49:37 1994") == t);
    CHECK(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT") == 0);
    CHECK(parse_http_date("Tue, 29 Feb 2028 23:59:59 GMT") == 1835481599);
    CHECK_FALSE(parse_http_date("Sun, 06 Foo 1994 08:49:37 GMT"));
    CHECK_FALSE(parse_http_date("Sun, 06 Nov 1994 08:49:37 CET"));
    CHECK_FALSE(parse_http_date("Sun, 06 Nov 1994 25:49:37 GMT"));
    CHECK_FALSE(parse_http_date("Sun, 6 Nov 1994 08:49:37 GMT"));
    // As a wait: relative to now, and never negative.
    CHECK(retry_after_seconds("Sun, 06 Nov 1994 08:49:37 GMT", t - 30) == Approx(30));
    CHECK(retry_after_seconds("Sun, 06 Nov 1994 08:49:37 GMT", t + 30) == Approx(0));
}

TEST_CASE("JSON strings: escapes and control bytes", "[http_output]") {
    CHECK(json("plain") == "\"plain\"");
    CHECK(json("a\"b\\c") == "\"a\\\"b\\\\c\"");
    CHECK(json("\n\t\r\b\f") == "\"\\n\\t\\r\\b\\f\"");
    CHECK(json(std::string_view("\x00\x01\x1f", 3)) == "\"\\u0000\\u0001\\u001f\"");
    CHECK(json("\x7f") == "\"\x7f\""); // DEL is valid in a JSON string
    CHECK(json("") == "\"\"");
}

// Written as the UTF-8 bytes of U+FFFD (EF BF BD), as every plugin's JSON does (json_string.hpp).
TEST_CASE("JSON strings: UTF-8 kept, invalid bytes become U+FFFD", "[http_output]") {
    CHECK(json("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80") ==
          "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
    CHECK(json("a\xff"
               "b") == "\"a\xEF\xBF\xBD"
                       "b\"");
    CHECK(json("\xc3") == "\"\xEF\xBF\xBD\"");                 // truncated at the end
    CHECK(json("\xc0\xaf") == "\"\xEF\xBF\xBD\xEF\xBF\xBD\""); // overlong '/'
    CHECK(json("\xed\xa0\x80") == "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\""); // a surrogate
    CHECK(json("\xf4\x90\x80\x80") ==
          "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\""); // above U+10FFFF
    CHECK(json("\x80x") == "\"\xEF\xBF\xBDx\"");                   // a stray continuation byte
}

TEST_CASE("JSON records: objects as they are, anything else wrapped", "[http_output]") {
    CHECK(record("{\"a\":1}") == "{\"a\":1}");
    CHECK(record("  {\"a\": [1, {\"b\": null}]} ") == "  {\"a\": [1, {\"b\": null}]} ");
    CHECK(record("{\"a\":\n1}") == "{\"a\": 1}"); // NDJSON stays one record per line
    CHECK(record("hello") == "{\"log\":\"hello\"}");
    CHECK(record("{not json}") == "{\"log\":\"{not json}\"}");
    CHECK(record("{\"a\":1} {\"b\":2}") == "{\"log\":\"{\\\"a\\\":1} {\\\"b\\\":2}\"}");
    CHECK(record("[1,2]") == "{\"log\":\"[1,2]\"}");
    CHECK(record("{\"a\":\"\xff\"}") == "{\"log\":\"{\\\"a\\\":\\\"\xEF\xBF\xBD\\\"}\"}");
    CHECK(record("") == "{\"log\":\"\"}");
    // Deep nesting is parsed iteratively: no stack overflow, just a (valid) object.
    std::string deep = "{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
    CHECK(record(deep) == deep);
}

TEST_CASE("Bodies: raw, ndjson, json_array", "[http_output]") {
    TestBatch b({"one", "{\"k\":2}", "th\"ree"});
    std::string body;
    CHECK(build_body(b.view, 0, 3, Format::raw, Limits{}, body) == 3);
    CHECK(body == "one\n{\"k\":2}\nth\"ree\n");
    CHECK(build_body(b.view, 0, 3, Format::ndjson, Limits{}, body) == 3);
    CHECK(body == "{\"log\":\"one\"}\n{\"k\":2}\n{\"log\":\"th\\\"ree\"}\n");
    CHECK(build_body(b.view, 1, 2, Format::json_array, Limits{}, body) == 2);
    CHECK(body == "[{\"k\":2},{\"log\":\"th\\\"ree\"}]");
}

TEST_CASE("Batching: batch_records and batch_bytes split a write", "[http_output]") {
    std::vector<std::string> recs;
    for (int i = 0; i < 10; ++i)
        recs.push_back("rec" + std::to_string(i)); // 4 bytes each, 5 as a raw line
    TestBatch b(recs);
    std::string body;
    // By records: 10 = 4 + 4 + 2.
    Limits by_records{4, 1 << 20};
    std::vector<uint32_t> sizes;
    for (uint32_t at = 0; at < 10;) {
        const uint32_t n = build_body(b.view, at, 10 - at, Format::raw, by_records, body);
        sizes.push_back(n);
        at += n;
    }
    CHECK(sizes == std::vector<uint32_t>{4, 4, 2});
    // By bytes: 12 bytes hold two 5-byte lines; the limit is never passed.
    Limits by_bytes{1000, 12};
    sizes.clear();
    for (uint32_t at = 0; at < 10;) {
        const uint32_t n = build_body(b.view, at, 10 - at, Format::raw, by_bytes, body);
        CHECK(body.size() <= 12);
        sizes.push_back(n);
        at += n;
    }
    CHECK(sizes == std::vector<uint32_t>{2, 2, 2, 2, 2});
    // json_array counts its brackets: [{"log":"rec0"}] is 16 bytes, two records 31.
    CHECK(build_body(b.view, 0, 10, Format::json_array, Limits{1000, 31}, body) == 2);
    CHECK(body.size() == 31);
    CHECK(build_body(b.view, 0, 10, Format::json_array, Limits{1000, 30}, body) == 1);
    CHECK(body == "[{\"log\":\"rec0\"}]");
    // A record larger than batch_bytes goes alone rather than never.
    TestBatch big({std::string(100, 'x'), "y"});
    CHECK(build_body(big.view, 0, 2, Format::raw, Limits{1000, 10}, body) == 1);
    CHECK(body.size() == 101);
    CHECK(build_body(big.view, 1, 1, Format::raw, Limits{1000, 10}, body) == 1);
    CHECK(body == "y\n");
}

TEST_CASE("Dead letters: JSON lines, rotated by size", "[http_output]") {
    mafio::test::TempDir dir;
    const std::string path = (dir.path() / "dead.jsonl").string();
    DeadLetterFile dl(path, 200, 2);
    std::string line;
    DeadLetterFile::format_line(line, 400, "http://h:80/w", "bad\n", "rec \"1\"\x01", 0);
    CHECK(line == "{\"time\":\"1970-01-01T00:00:00Z\",\"status\":400,\"url\":\"http://h:80/w\","
                  "\"response\":\"bad\\n\",\"record\":\"rec \\\"1\\\"\\u0001\"}\n");
    REQUIRE(line.size() < 200);
    for (int i = 0; i < 4; ++i)
        REQUIRE(dl.append(line) == 0); // one line per file: 2 * size > 200
    namespace fs = std::filesystem;
    CHECK(fs::file_size(path) == line.size());
    CHECK(fs::file_size(path + ".1") == line.size());
    CHECK(fs::file_size(path + ".2") == line.size());
    CHECK_FALSE(fs::exists(path + ".3")); // max_files 2: the oldest is gone
}
