// JSON text and records (plugins/common/json_text.hpp, json_record.hpp): escaping of control
// bytes and quotes, valid UTF-8 kept, invalid UTF-8 replaced by U+FFFD byte by byte; dotted
// paths and reuse of a JsonRecord.
#include "json_record.hpp"
#include "json_text.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace {
std::string esc(const std::string &s) {
    std::string out;
    mafio_plugins::append_json_string(out, s);
    return out;
}
} // namespace

TEST_CASE("json strings: escapes and UTF-8 handling") {
    CHECK(esc("plain") == "\"plain\"");
    CHECK(esc("a\"b\\c/") == "\"a\\\"b\\\\c/\"");
    CHECK(esc(std::string("\b\f\n\r\t\x01\x1f\x7f", 8)) == "\"\\b\\f\\n\\r\\t\\u0001\\u001f\x7f\"");
    CHECK(esc(std::string("\0x", 2)) == "\"\\u0000x\"");
    CHECK(esc("café 😀 リ") == "\"café 😀 リ\"");
    const std::string r = "\xEF\xBF\xBD";
    CHECK(esc("a\xff"
              "b") == "\"a" + r + "b\"");
    CHECK(esc("\xc3") == "\"" + r + "\"");                         // truncated sequence
    CHECK(esc("\xc0\xaf") == "\"" + r + r + "\"");                 // overlong
    CHECK(esc("\xed\xa0\x80") == "\"" + r + r + r + "\"");         // surrogate
    CHECK(esc("\xf4\x90\x80\x80") == "\"" + r + r + r + r + "\""); // above U+10FFFF
}

TEST_CASE("json numbers: shortest round trip; non-finite is null") {
    std::string out;
    mafio_plugins::append_json_double(out, 0.1);
    out += ' ';
    mafio_plugins::append_json_double(out, 1e300 * 1e300);
    out += ' ';
    mafio_plugins::append_json_int(out, INT64_MIN);
    CHECK(out == "0.1 null -9223372036854775808");
}

TEST_CASE("JsonObjectWriter writes one flat object") {
    std::string out = "x";
    mafio_plugins::JsonObjectWriter w(out);
    w.open();
    w.key("s");
    w.string("a\tb");
    w.key("n");
    w.integer(-3);
    w.key("f");
    w.number(0.5);
    w.key("b");
    w.boolean(true);
    w.key("z");
    w.null();
    w.key("r");
    w.raw("[1]");
    w.close();
    CHECK(out == "x{\"s\":\"a\\tb\",\"n\":-3,\"f\":0.5,\"b\":true,\"z\":null,\"r\":[1]}");
}

TEST_CASE("JsonRecord: dotted paths, records reused, depth bound") {
    mafio_plugins::JsonRecord r;
    REQUIRE(r.parse_object("{\"a\":{\"b\":{\"c\":\"deep\"}},\"a.b\":1,\"x\":[1]}"));
    REQUIRE(r.find("a.b.c"));
    CHECK(r.find("a.b.c")->GetString() == std::string("deep"));
    CHECK(r.find("a.b.c.d") == nullptr);
    CHECK(r.find("a.x") == nullptr);
    CHECK(r.find("x.0") == nullptr); // arrays are not indexed
    std::string out;
    CHECK(mafio_plugins::JsonRecord::write(out, *r.find("a")));
    CHECK(out == "{\"b\":{\"c\":\"deep\"}}");
    // The next record replaces the previous one; a failed parse is just false.
    CHECK_FALSE(r.parse_object("[1]"));
    CHECK_FALSE(r.parse("{\"a\":"));
    REQUIRE(
        r.parse_object(std::string(70000, ' ') + "{\"big\":\"" + std::string(100000, 'y') + "\"}"));
    CHECK(r.find("big")->GetStringLength() == 100000);
    REQUIRE(r.parse_object("{\"k\":2}"));
    CHECK(r.find("k")->GetInt() == 2);
}
