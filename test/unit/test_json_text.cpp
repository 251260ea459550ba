// JSON string escaping (plugins/common/json_text.hpp): control bytes, quotes, valid UTF-8 kept,
// invalid UTF-8 replaced by U+FFFD byte by byte.
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
