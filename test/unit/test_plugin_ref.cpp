#include "plugin/plugin_ref.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

using namespace mafio;

TEST_CASE("plugin refs: name and name:tag") {
    auto r = parse_plugin_ref("filereader:V2");
    CHECK(r.name == "filereader");
    CHECK(r.tag == "V2");
    auto bare = parse_plugin_ref("stdout");
    CHECK(bare.name == "stdout");
    CHECK(bare.tag.empty());
    CHECK(parse_plugin_ref("my_plugin2:v1.2_rc").tag == "v1.2_rc");
}

TEST_CASE("plugin refs: the original agent's alias 'file' means filereader") {
    CHECK(parse_plugin_ref("file").name == "filereader");
    CHECK(parse_plugin_ref("file:V1").name == "filereader");
    CHECK(parse_plugin_ref("filereader").name == "filereader");
}

TEST_CASE("plugin refs: hostile or malformed names are refused before any path is built") {
    const std::vector<std::string> bad = {"../x",
                                          "a/b",
                                          "/tmp/evil",
                                          "",
                                          ":V1",
                                          "name:",
                                          "Upper",
                                          "na me",
                                          "x:V1/../..",
                                          "n\x01",
                                          std::string(4096, 'a'),
                                          "x:" + std::string(100, 'V'),
                                          "x-y",
                                          "a:b:c"};
    for (const auto &name : bad) {
        INFO("name: " << name.substr(0, 60));
        CHECK_THROWS_AS(parse_plugin_ref(name), PluginError);
    }
}

TEST_CASE("plugin refs: the error says what is accepted and does not echo 4 KiB") {
    try {
        parse_plugin_ref(std::string(4096, 'a'));
        FAIL("accepted a 4 KiB name");
    } catch (const PluginError &e) {
        std::string msg = e.what();
        CHECK(msg.find("[a-z0-9_]") != std::string::npos);
        CHECK(msg.find("4096 bytes") != std::string::npos);
        CHECK(msg.size() < 400);
    }
}

TEST_CASE("tags sort in natural order") {
    std::vector<std::string> tags = {"V10", "V2", "V1", "V9", "V1.1", "V02"};
    std::sort(tags.begin(), tags.end(), [](auto &a, auto &b) { return tag_less(a, b); });
    // Equal numbers (V02, V2) fall back to plain string order.
    CHECK(tags == std::vector<std::string>{"V1", "V1.1", "V02", "V2", "V9", "V10"});
    CHECK(tag_less("V9", "V10"));
    CHECK_FALSE(tag_less("V10", "V9"));
    CHECK_FALSE(tag_less("V1", "V1"));
}

TEST_CASE("plugin file names") {
    PluginRef r;
    REQUIRE(parse_plugin_file_name("filereader-V1.so", r));
    CHECK(r.name == "filereader");
    CHECK(r.tag == "V1");
    REQUIRE(parse_plugin_file_name("x-1.2.so", r));
    CHECK(r.tag == "1.2");
    CHECK_FALSE(parse_plugin_file_name("filereader.so", r));
    CHECK_FALSE(parse_plugin_file_name("libfoo-V1.so.1", r));
    CHECK_FALSE(parse_plugin_file_name("Foo-V1.so", r));
    CHECK_FALSE(parse_plugin_file_name("foo-V1.txt", r));
    CHECK_FALSE(parse_plugin_file_name("-V1.so", r));
    CHECK_FALSE(parse_plugin_file_name("foo-.so", r));
}
