// JSON encoding of records for outputs (plugins/common/json_string.hpp, json_lines.hpp): every
// byte string becomes valid JSON, valid UTF-8 is kept as it is, JSON object records pass through
// with their time added, anything else is wrapped with ts, tag and log.
#include "../../plugins/common/json_lines.hpp"

#include <catch2/catch.hpp>
#include <rapidjson/document.h>

#include <string>
#include <vector>

using mafio_plugins::append_json_string;
using mafio_plugins::JsonLineEncoder;

namespace {

std::string quoted(const std::string &bytes) {
    std::string out;
    append_json_string(out, bytes);
    return out;
}

// A batch over `lines`, each followed by '\n' in the arena as inputs leave them.
struct TestBatch {
    std::string arena;
    std::vector<mafio_record> records;
    mafio_batch view{};
    TestBatch(const std::vector<std::string> &lines, int64_t ts_ns) {
        for (const auto &l : lines) {
            records.push_back(
                mafio_record{arena.size(), static_cast<uint32_t>(l.size()), 0, ts_ns});
            arena += l;
            arena += '\n';
        }
        view.struct_size = sizeof(mafio_batch);
        view.count = static_cast<uint32_t>(records.size());
        view.records = records.data();
        view.arena = reinterpret_cast<uint8_t *>(arena.data());
        view.arena_size = view.arena_capacity = arena.size();
        view.records_capacity = view.count;
    }
};

std::vector<std::string> encoded(const std::vector<std::string> &lines, int64_t ts_ns,
                                 const std::string &tag = "app") {
    TestBatch in(lines, ts_ns);
    JsonLineEncoder enc;
    const mafio_batch &out = enc.encode(in.view, 0, in.view.count, tag);
    std::vector<std::string> result;
    for (uint32_t i = 0; i < out.count; ++i) {
        const mafio_record &r = out.records[i];
        result.emplace_back(reinterpret_cast<const char *>(out.arena + r.offset), r.len);
        CHECK(out.arena[r.offset + r.len] == '\n'); // LineWriter writes it in place
    }
    return result;
}

bool valid_json(const std::string &s) {
    rapidjson::Document d;
    d.Parse<rapidjson::kParseValidateEncodingFlag>(s.c_str(), s.size());
    return !d.HasParseError();
}

constexpr int64_t kTs = 1'764'497'430'123'456'789; // 2025-11-30T10:10:30.123456789Z

} // namespace

TEST_CASE("JSON strings escape what JSON requires and keep valid UTF-8") {
    CHECK(quoted("plain") == "\"plain\"");
    CHECK(quoted("a\"b\\c") == "\"a\\\"b\\\\c\"");
    CHECK(quoted("\b\f\n\r\t") == "\"\\b\\f\\n\\r\\t\"");
    CHECK(quoted(std::string("\x01\x1f\x7f", 3)) == "\"\\u0001\\u001f\x7f\"");
    CHECK(quoted(std::string("nul\0here", 8)) == "\"nul\\u0000here\"");
    CHECK(quoted("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80") ==
          "\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"");
    CHECK(quoted("") == "\"\"");
}

TEST_CASE("JSON strings replace each byte that starts no valid UTF-8 sequence with U+FFFD") {
    const std::string fffd = "\xEF\xBF\xBD";
    CHECK(quoted("a\xff"
                 "b") == "\"a" + fffd + "b\"");  // never valid
    CHECK(quoted("\x80") == "\"" + fffd + "\""); // stray continuation
    CHECK(quoted("\xC3") == "\"" + fffd + "\""); // truncated at the end
    CHECK(quoted("\xE2\x82"
                 "x") == "\"" + fffd + fffd + "x\"");                  // truncated inside
    CHECK(quoted("\xC0\xAF") == "\"" + fffd + fffd + "\"");            // overlong '/'
    CHECK(quoted("\xED\xA0\x80") == "\"" + fffd + fffd + fffd + "\""); // a surrogate
    CHECK(quoted("\xF4\x90\x80\x80") == "\"" + fffd + fffd + fffd + fffd + "\""); // > U+10FFFF
    for (int b = 0; b < 256; ++b) // every single byte gives valid JSON
        CHECK(valid_json(quoted(std::string(1, static_cast<char>(b)))));
}

TEST_CASE("a raw line is wrapped with its time, its tag and the line") {
    const auto out = encoded({"GET /x \"q\"\t\x01\xff"}, kTs, "web.access");
    REQUIRE(out.size() == 1);
    CHECK(out[0] == "{\"ts\":\"2025-11-30T10:10:30.123456789Z\",\"tag\":\"web.access\",\"log\":"
                    "\"GET /x \\\"q\\\"\\t\\u0001\xEF\xBF\xBD\"}");
    CHECK(valid_json(out[0]));
}

TEST_CASE("an unknown time is null") {
    CHECK(encoded({"x"}, 0)[0] == "{\"ts\":null,\"tag\":\"app\",\"log\":\"x\"}");
}

TEST_CASE("times keep leading zeros of the fraction and change with the second") {
    const auto a = encoded({"x"}, 1'000'000'000'000'000'007);
    CHECK(a[0].find("\"2001-09-09T01:46:40.000000007Z\"") != std::string::npos);
    // One encoder, two batches a second apart: the cached date must not leak.
    TestBatch first({"x"}, 1'000'000'000'000'000'000), second({"x"}, 1'000'000'001'500'000'000);
    JsonLineEncoder enc;
    enc.encode(first.view, 0, 1, "t");
    const mafio_batch &out = enc.encode(second.view, 0, 1, "t");
    const std::string s(reinterpret_cast<const char *>(out.arena), out.records[0].len);
    CHECK(s.find("\"2001-09-09T01:46:41.500000000Z\"") != std::string::npos);
}

TEST_CASE("a JSON object record passes as it is, with ts added when it has none") {
    CHECK(encoded({"{\"a\":1}"}, kTs)[0] == "{\"ts\":\"2025-11-30T10:10:30.123456789Z\",\"a\":1}");
    CHECK(encoded({"{}"}, kTs)[0] == "{\"ts\":\"2025-11-30T10:10:30.123456789Z\"}");
    CHECK(encoded({"  { }  "}, kTs)[0] == "{\"ts\":\"2025-11-30T10:10:30.123456789Z\" }");
    // Its own top-level ts wins; a nested one does not count.
    CHECK(encoded({"{\"ts\":5,\"b\":[1,2]}"}, kTs)[0] == "{\"ts\":5,\"b\":[1,2]}");
    CHECK(encoded({"{\"n\":{\"ts\":1}}"}, kTs)[0] ==
          "{\"ts\":\"2025-11-30T10:10:30.123456789Z\",\"n\":{\"ts\":1}}");
    // Unicode escapes and UTF-8 stay as written; the time unknown: exactly as written.
    CHECK(encoded({"{\"m\":\"\\u00e9 \xC3\xA9\"}"}, 0)[0] == "{\"m\":\"\\u00e9 \xC3\xA9\"}");
}

TEST_CASE("an object written over several lines becomes one line") {
    const auto out = encoded({"{\"a\":\r\n 1}"}, 0);
    CHECK(out[0] == "{\"a\":   1}");
}

TEST_CASE("what is not a valid JSON object is wrapped as a line") {
    for (const std::string line : {"[1,2]", "{broken", "{\"a\":1} trailing", "{\"a\":\"\xff\"}",
                                   "\"str\"", "{\"a\":1}{\"b\":2}"}) {
        const auto out = encoded({line}, 0);
        INFO(line);
        CHECK(out[0].rfind("{\"ts\":null,\"tag\":\"app\",\"log\":", 0) == 0);
        CHECK(valid_json(out[0]));
    }
}

TEST_CASE("a range of a batch encodes just those records, in order") {
    TestBatch in({"a", "{\"b\":2}", "c"}, 0);
    JsonLineEncoder enc;
    const mafio_batch &out = enc.encode(in.view, 1, 2, "t");
    REQUIRE(out.count == 2);
    CHECK(std::string(reinterpret_cast<const char *>(out.arena), out.arena_size) ==
          "{\"b\":2}\n{\"ts\":null,\"tag\":\"t\",\"log\":\"c\"}\n");
}
