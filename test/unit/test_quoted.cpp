#include "config/value_rules.hpp"
#include "util/quoted.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace mafio;

TEST_CASE("quoted: short values as they are, long ones cut with their size") {
    CHECK(quoted("abc") == "\"abc\"");
    CHECK(quoted("") == "\"\"");
    std::string longer(100, 'x');
    CHECK(quoted(longer) == "\"" + std::string(80, 'x') + "...\" (100 bytes)");
}

TEST_CASE("quoted: control characters cannot reach the log, UTF-8 text does") {
    CHECK(quoted("a\nb\x1b[31m\x7f") == "\"a?b?[31m?\"");
    CHECK(quoted("caf\xC3\xA9") == "\"caf\xC3\xA9\"");
}

TEST_CASE("config accepts exactly the plugin names the loader accepts") {
    CHECK_FALSE(check_plugin_name("filereader:V1.2_rc").has_value());
    CHECK_FALSE(check_plugin_name(std::string(64, 'a')).has_value());
    // Longer than the loader's limit: refused here, naming what is accepted.
    auto too_long = check_plugin_name(std::string(65, 'a'));
    REQUIRE(too_long.has_value());
    CHECK(too_long->find("name or name:tag") != std::string::npos);
    CHECK(check_plugin_name("a:").has_value());
    CHECK(check_plugin_name("a/b").has_value());
}
