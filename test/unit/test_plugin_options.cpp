// The plugin SDK's options helper (plugin-sdk/include/mafio/options.hpp) on hostile input.
#include <mafio/options.hpp>

#include <catch2/catch.hpp>

#include <string>

// Found by test/fuzz/fuzz_options: Options parsed recursively, so a deeply nested options
// document overflowed the stack instead of being refused with mafio::Error.
TEST_CASE("options: deep nesting is an error or a value, never a stack overflow") {
    const size_t depth = 1000000;
    const std::string unclosed = "{\"a\":" + std::string(depth, '[');
    CHECK_THROWS_AS(mafio::Options(unclosed.c_str()), mafio::Error);

    const std::string closed = "{\"a\":" + std::string(depth, '[') + std::string(depth, ']') + "}";
    mafio::Options o(closed.c_str());
    CHECK_THROWS_WITH(o.string("a", ""), "options.a: expected a string, got an array");
}

// Sizes from 2^63 up to the 1.8e19 limit went through llround, whose long long overflowed:
// "10000000000000000000" came back as 9223372036854775808.
TEST_CASE("options: sizes above 2^63 keep their value") {
    CHECK(mafio::parse_size("10000000000000000000") == 10000000000000000000ull);
    CHECK(mafio::parse_size("9223372036854775808") == 9223372036854775808ull);
    CHECK(mafio::parse_size("18000000000000000000") == 18000000000000000000ull);
    CHECK_FALSE(mafio::parse_size("19000000000000000000").has_value());
    mafio::Options o(R"({"s": "10000000000000000000"})");
    CHECK(o.size("s", 0) == 10000000000000000000ull);
}
