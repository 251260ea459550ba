// Plugin inspection in child processes (plugin_probe.hpp, probe_cache.hpp): the JSON line, what
// a crashed or hung child becomes, and the cache. The child here is a shell script standing in
// for `mafio -inspect-plugin PATH` (the unit tests have no mafio binary); the real child is
// exercised end to end by test_plugin_listing.sh.
#include "plugin/plugin_probe.hpp"
#include "plugin/probe_cache.hpp"

#include <catch2/catch.hpp>

#include "temp_dir.hpp"

#include <csignal>
#include <filesystem>
#include <sys/stat.h>
#include <sys/wait.h>

using namespace mafio;
using mafio::test::TempDir;

namespace {

// Stands in for mafio: argv is (mafio, -inspect-plugin, PATH); what it does depends on the
// plugin's name, and every run appends the path to calls.log.
std::string fake_inspector(const TempDir &d) {
    std::string log = (d.path() / "calls.log").string();
    std::string script =
        d.write("inspector.sh",
                "#!/bin/sh\n"
                "echo \"$2\" >>'" +
                    log +
                    "'\n"
                    "case \"$2\" in\n"
                    "*/crash-V1.so) kill -SEGV $$ ;;\n"
                    "*/hang-V1.so) exec sleep 30 ;;\n"
                    "*/silent-V1.so) exit 3 ;;\n"
                    "esac\n"
                    "echo 'noise a plugin printed'\n"
                    "printf '{\"name\":\"x\",\"tag\":\"V1\",\"path\":\"%s\","
                    "\"kind\":\"output\",\"version\":\"1.0\",\"description\":\"d\","
                    "\"abi\":\"1.2\",\"refused\":\"\",\"options_schema\":null}\\n' \"$2\"\n");
    ::chmod(script.c_str(), 0755);
    return script;
}

size_t lines_in(const std::string &file) {
    std::ifstream in(file);
    size_t n = 0;
    for (std::string l; std::getline(in, l);)
        ++n;
    return n;
}

} // namespace

TEST_CASE("probe: the JSON line round-trips, schema or not") {
    PluginProbe p{"filereader",
                  "V2",
                  "/p/filereader-V2.so",
                  "input",
                  "2.0.0",
                  "lines of \"files\"\n\twith\\escapes",
                  "1.2",
                  std::string("{\"a\":1}"),
                  ""};
    auto back = probe_from_json(probe_to_json(p));
    REQUIRE(back);
    CHECK(back->description == p.description);
    CHECK(back->options_schema == p.options_schema);
    CHECK(back->kind == "input");
    p.options_schema.reset();
    p.refused = "plugin file /p: bad magic";
    back = probe_from_json(probe_to_json(p));
    REQUIRE(back);
    CHECK_FALSE(back->options_schema);
    CHECK(back->refused == p.refused);
    CHECK(probe_to_json(p).find('\n') == std::string::npos);
}

TEST_CASE("probe: anything else is not a result") {
    CHECK_FALSE(probe_from_json(""));
    CHECK_FALSE(probe_from_json("noise"));
    CHECK_FALSE(probe_from_json("{\"name\":\"x\"}"));
    CHECK_FALSE(probe_from_json("[1,2]"));
}

TEST_CASE("probe: how a child that gave no result is reported") {
    // waitpid status encodings (Linux): the signal in the low bits, an exit code shifted by 8.
    CHECK(child_failure(SIGSEGV, false, std::chrono::milliseconds(5000)) ==
          "crashed while loading: signal 11 (SIGSEGV)");
    CHECK(child_failure(SIGBUS, false, std::chrono::milliseconds(5000)).find("(SIGBUS)") !=
          std::string::npos);
    CHECK(child_failure(SIGKILL, true, std::chrono::milliseconds(5000))
              .find("did not finish loading within 5 s") != std::string::npos);
    CHECK(child_failure(3 << 8, false, std::chrono::milliseconds(5000))
              .find("exited with status 3") != std::string::npos);
}

TEST_CASE("probe: children that answer, crash, hang or say nothing") {
    TempDir d;
    ProbeLimits limits;
    limits.executable = fake_inspector(d);
    limits.per_file = std::chrono::milliseconds(1000);
    limits.parallel = 2;
    std::vector<PluginFile> files;
    for (auto name : {"good", "crash", "hang", "silent", "good2"})
        files.push_back({name, "V1", (d.path() / (std::string(name) + "-V1.so")).string()});
    auto got = probe_plugin_files(files, limits);
    REQUIRE(got.size() == 5);
    for (size_t i = 0; i < got.size(); ++i) {
        // Name, tag and path come from the parent's list, whatever the child said.
        CHECK(got[i].name == files[i].name);
        CHECK(got[i].path == files[i].path);
    }
    CHECK(got[0].refused.empty());
    CHECK(got[0].kind == "output"); // found under the noise the "plugin" printed
    CHECK(got[1].refused == "crashed while loading: signal 11 (SIGSEGV)");
    CHECK(got[2].refused.find("did not finish loading within 1 s") != std::string::npos);
    CHECK(got[3].refused.find("exited with status 3") != std::string::npos);
    CHECK(got[4].refused.empty());
}

TEST_CASE("probe: a missing executable is a refusal, not an exception") {
    ProbeLimits limits;
    limits.executable = "/nonexistent/mafio";
    auto got = probe_plugin_files({{"a", "V1", "/x/a-V1.so"}}, limits);
    REQUIRE(got.size() == 1);
    CHECK(got[0].refused.find("cannot start /nonexistent/mafio") != std::string::npos);
}

TEST_CASE("probe: stop kills what runs and refuses the rest") {
    TempDir d;
    ProbeLimits limits;
    limits.executable = fake_inspector(d);
    limits.per_file = std::chrono::milliseconds(60000);
    std::atomic<bool> stop{true};
    auto got =
        probe_plugin_files({{"hang", "V1", (d.path() / "hang-V1.so").string()}}, limits, &stop);
    REQUIRE(got.size() == 1);
    CHECK(got[0].refused.find("stopping") != std::string::npos);
}

TEST_CASE("probe cache: inspects at start, again only for changed files") {
    TempDir d;
    TempDir plugins;
    ProbeLimits limits;
    limits.executable = fake_inspector(d);
    const std::string calls = (d.path() / "calls.log").string();
    plugins.write("a-V1.so", "a");
    plugins.write("b-V1.so", "b");
    ProbeCache cache(Registry({plugins.path().string()}), limits, std::chrono::milliseconds(20000));

    // Not started: nothing inspected and nobody waits.
    CHECK(cache.get().state == "pending");
    CHECK(lines_in(calls) == 0);

    cache.start();
    auto first = cache.get(); // waits (bounded) for the first inspection
    CHECK(first.state == "current");
    REQUIRE(first.files.size() == 2);
    CHECK(first.files[0].name == "a");
    CHECK(lines_in(calls) == 2);

    CHECK(cache.get().state == "current"); // nothing changed: no new child
    CHECK(lines_in(calls) == 2);

    plugins.write("c-V1.so", "c");
    auto second = cache.get();
    CHECK(second.state == "current");
    CHECK(second.files.size() == 3);
    CHECK(lines_in(calls) == 3); // only c-V1.so was inspected

    std::filesystem::remove(plugins.path() / "a-V1.so");
    auto third = cache.get();
    CHECK(third.files.size() == 2);
    CHECK(lines_in(calls) == 3);
}

TEST_CASE("probe cache: a request waits at most its bound") {
    TempDir d;
    TempDir plugins;
    ProbeLimits limits;
    limits.executable = fake_inspector(d);
    limits.per_file = std::chrono::milliseconds(60000);
    plugins.write("hang-V1.so", "h");
    ProbeCache cache(Registry({plugins.path().string()}), limits, std::chrono::milliseconds(50));
    cache.start();
    // The child hangs for 30 s; the request comes back without it (no timing asserted: a
    // request that waited for the child would not see "pending"). The cache's destructor
    // kills the child.
    CHECK(cache.get().state == "pending");
}
