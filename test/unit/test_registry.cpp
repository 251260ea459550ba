#include "plugin/registry.hpp"

#include <catch2/catch.hpp>

#include "temp_dir.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

using namespace mafio;
namespace fs = std::filesystem;

using mafio::test::TempDir;

namespace {
void touch(const TempDir &d, const std::string &name) {
    d.write(name, "x");
}
} // namespace

TEST_CASE("registry: name alone picks the highest tag") {
    TempDir d;
    for (auto n : {"filereader-V1.so", "filereader-V2.so", "filereader-V10.so", "stdout-V1.so",
                   "notaplugin.txt", "libx.so"})
        touch(d, n);
    Registry reg({d.path().string()});
    CHECK(reg.find(parse_plugin_ref("filereader")).tag == "V10");
    CHECK(reg.find(parse_plugin_ref("file")).tag == "V10");
    CHECK(reg.find(parse_plugin_ref("filereader:V2")).path ==
          (d.path() / "filereader-V2.so").string());
    CHECK(reg.scan().size() == 4);
}

TEST_CASE("registry: a missing tag lists the tags present") {
    TempDir d;
    touch(d, "filereader-V1.so");
    touch(d, "filereader-V2.so");
    Registry reg({d.path().string()});
    try {
        reg.find(parse_plugin_ref("filereader:V9"));
        FAIL("found a tag that is not there");
    } catch (const PluginError &e) {
        std::string msg = e.what();
        CHECK(msg.find("filereader:V9 not found") != std::string::npos);
        CHECK(msg.find("filereader:V1, filereader:V2") != std::string::npos);
    }
    CHECK_THROWS_WITH(reg.find(parse_plugin_ref("nosuch")),
                      Catch::Contains("available: filereader:V1"));
}

TEST_CASE("registry: the first directory wins for the same name:tag") {
    TempDir a, b;
    touch(a, "stdout-V1.so");
    touch(b, "stdout-V1.so");
    touch(b, "stdout-V2.so");
    Registry reg({a.path().string(), b.path().string()});
    CHECK(reg.find(parse_plugin_ref("stdout:V1")).path == (a.path() / "stdout-V1.so").string());
    CHECK(reg.find(parse_plugin_ref("stdout")).path == (b.path() / "stdout-V2.so").string());
}

TEST_CASE("registry: search order is flag, environment, config, next to the binary") {
    setenv("MAFIO_PLUGINS_DIR", "/env/dir", 1);
    auto dirs = plugin_search_dirs("/flag/dir", "/config/dir");
    unsetenv("MAFIO_PLUGINS_DIR");
    REQUIRE(dirs.size() == 4);
    CHECK(dirs[0] == "/flag/dir");
    CHECK(dirs[1] == "/env/dir");
    CHECK(dirs[2] == "/config/dir");
    CHECK(dirs[3].find("lib/mafio/plugins") != std::string::npos);
}
