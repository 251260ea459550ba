// Component ids (explicit and derived), tags and match globs as the configuration gives them,
// and what a new configuration changes by id (the plan a reload works from).
#include "config/load_config.hpp"
#include "config/running_config.hpp"
#include "config/topology.hpp"
#include "config/topology_diff.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace mafio;
using Catch::Contains;

namespace {

AgentConfig config(const std::string &json) {
    AgentConfig cfg;
    apply_config_json(cfg, json, "test.json");
    assign_component_ids(cfg);
    return cfg;
}

PluginSpec spec(const std::string &plugin, const std::string &options) {
    PluginSpec s;
    s.plugin = plugin;
    s.options_json = options;
    return s;
}

} // namespace

TEST_CASE("derived ids: plugin name without tag, plus what the component reads or writes",
          "[topology]") {
    CHECK(derive_component_id(spec("stdin", "{}")) == "stdin");
    CHECK(derive_component_id(spec("filereader:V2", R"({"path": "/var/log/App.log"})")) ==
          "filereader-var_log_app_log");
    // The tag, the alias and tuning options do not change it.
    CHECK(derive_component_id(spec("filereader:V1", R"({"path": "/var/log/App.log"})")) ==
          "filereader-var_log_app_log");
    CHECK(derive_component_id(spec("file", R"({"path": "/var/log/App.log",
                                                "scan_interval": "5s"})")) ==
          "filereader-var_log_app_log");
    CHECK(derive_component_id(spec("logr", R"({"path": "/out/a.log", "max_size": 10})")) ==
          "logr-out_a_log");
    // A long destination keeps its end and gains a hash of the whole.
    std::string a = derive_component_id(
        spec("filereader", R"({"path": "/very/long/directory/name/number/one/service.log"})"));
    std::string b = derive_component_id(
        spec("filereader", R"({"path": "/very/long/directory/name/number/two/service.log"})"));
    CHECK(a != b);
    CHECK(a.size() <= 64);
    CHECK_THAT(a, Contains("service_log"));
    CHECK_FALSE(check_component_id(a));
}

TEST_CASE("ids survive reordering; equal derived ids are numbered in config order", "[topology]") {
    AgentConfig one = config(R"({"inputs": [{"plugin": "filereader", "path": "/a.log"},
                                            {"plugin": "filereader", "path": "/b.log"}],
                                 "outputs": [{"plugin": "stdout"}, {"plugin": "stdout"}]})");
    AgentConfig two = config(R"({"inputs": [{"plugin": "filereader", "path": "/b.log"},
                                            {"plugin": "filereader", "path": "/a.log"}],
                                 "outputs": [{"plugin": "stdout"}]})");
    CHECK(one.inputs[0].id == "filereader-a_log");
    CHECK(one.inputs[1].id == "filereader-b_log");
    CHECK(two.inputs[1].id == "filereader-a_log");
    CHECK(two.inputs[0].id == "filereader-b_log");
    CHECK(one.outputs[0].id == "stdout");
    CHECK(one.outputs[1].id == "stdout-2");
}

TEST_CASE("explicit ids, tags and match are read and checked", "[topology]") {
    AgentConfig cfg = config(R"({"inputs": [{"plugin": "stdin", "id": "in1", "tag": "app.web"}],
                                 "filters": [{"plugin": "valid", "match": "app.*"}],
                                 "outputs": [{"plugin": "stdout", "id": "out", "match": ["a", "b*"]}]})");
    CHECK(cfg.inputs[0].id == "in1");
    CHECK(cfg.inputs[0].id_explicit);
    CHECK(cfg.inputs[0].tag == "app.web");
    CHECK(input_tag(cfg.inputs[0]) == "app.web");
    CHECK(cfg.inputs[0].options_json == "{}"); // id and tag are the host's, not the plugin's
    CHECK(cfg.filters[0].match == std::vector<std::string>{"app.*"});
    CHECK(cfg.outputs[0].match == std::vector<std::string>{"a", "b*"});
    CHECK(cfg.filters[0].id == "valid");

    CHECK_THROWS_WITH(config(R"({"inputs": [{"plugin": "stdin", "id": "In 1"}]})"),
                      Contains("inputs[0].id") && Contains("[a-z0-9_-]"));
    CHECK_THROWS_WITH(config(R"({"inputs": [{"plugin": "stdin", "id": "x"}],
                                 "outputs": [{"plugin": "stdout", "id": "x"}]})"),
                      Contains("outputs[0].id") && Contains("also the id of inputs[0]"));
    CHECK_THROWS_WITH(config(R"({"outputs": [{"plugin": "stdout", "match": 3}]})"),
                      Contains("outputs[0].match") && Contains("expected a tag glob"));
    CHECK_THROWS_WITH(config(R"({"outputs": [{"plugin": "stdout", "match": [""]}]})"),
                      Contains("outputs[0].match[0]") && Contains("empty glob"));
    CHECK_THROWS_WITH(config(R"({"inputs": [{"plugin": "stdin", "tag": "a b"}]})"),
                      Contains("inputs[0].tag"));
    // An input has no match, an output no tag: those go to the plugin, which refuses them.
    AgentConfig passed = config(R"({"inputs": [{"plugin": "stdin", "match": "x"}]})");
    CHECK_THAT(passed.inputs[0].options_json, Contains("match"));
}

TEST_CASE("tag globs", "[topology]") {
    CHECK(tag_matches({}, "anything"));
    CHECK(tag_matches({"app.*"}, "app.web"));
    CHECK_FALSE(tag_matches({"app.*"}, "db"));
    CHECK(tag_matches({"db", "app.?"}, "app.1"));
    CHECK(tag_matches({"[ab]*"}, "beta"));
}

TEST_CASE("reorder is no change; plugin, options, tag and match changes are named", "[topology]") {
    AgentConfig a = config(R"({"inputs": [{"plugin": "filereader:V2", "path": "/a"},
                                          {"plugin": "filereader:V2", "path": "/b"}],
                               "outputs": [{"plugin": "stdout"}]})");
    AgentConfig reordered = config(R"({"inputs": [{"plugin": "filereader:V2", "path": "/b"},
                                                  {"plugin": "filereader:V2", "path": "/a"}],
                                       "outputs": [{"plugin": "stdout"}]})");
    CHECK(diff_topology(a, reordered).empty());
    CHECK(config_revision(a) != config_revision(reordered)); // the order is part of the revision

    AgentConfig b = config(R"({"inputs": [{"plugin": "filereader:V1", "path": "/a"},
                                          {"plugin": "filereader:V2", "path": "/b", "tag": "t",
                                           "poll_interval": "1s"}],
                               "outputs": [{"plugin": "stdout", "match": "t"},
                                           {"plugin": "logr", "path": "/out"}],
                               "channels": {"write_size": 100}})");
    TopologyDiff d = diff_topology(a, b);
    REQUIRE(d.changed.size() == 3);
    CHECK(d.changed[0].id == "filereader-a");
    CHECK(d.changed[0].what == std::vector<std::string>{"plugin"});
    CHECK(d.changed[1].id == "filereader-b");
    CHECK(d.changed[1].what == std::vector<std::string>{"options", "tag"});
    CHECK(d.changed[2].id == "stdout");
    CHECK(d.changed[2].what == std::vector<std::string>{"match"});
    REQUIRE(d.added.size() == 1);
    CHECK(d.added[0].id == "logr-out");
    CHECK(d.removed.empty());
    CHECK(d.settings == std::vector<std::string>{"channels.write_size"});
    CHECK(diff_topology(b, a).removed.size() == 1);
}

TEST_CASE("the running configuration file reads back as the same graph", "[topology]") {
    mafio::test::TempDir dir;
    AgentConfig cfg = config(R"({"inputs": [{"plugin": "filereader:V2", "path": "/a", "tag": "t"}],
                                 "filters": [{"plugin": "valid", "match": ["t", "u*"]}],
                                 "outputs": [{"plugin": "logr", "path": "/o", "retry_max": "5s"}]})");
    cfg.data_dir = dir.path().string();
    REQUIRE(store_running_config(cfg).empty());
    std::string error;
    auto back = read_running_config(cfg.data_dir, error);
    REQUIRE(back);
    CHECK(diff_topology(cfg, *back).empty());
    CHECK(config_revision(cfg) == config_revision(*back));
    std::ofstream(running_config_path(cfg.data_dir)) << "{\"version\": 2}";
    CHECK_FALSE(read_running_config(cfg.data_dir, error));
    CHECK_THAT(error, Contains("not a running configuration"));
}

TEST_CASE("schedule keys belong to the agent; a changed schedule replaces the input",
          "[topology]") {
    AgentConfig a = config(R"({"inputs": [{"plugin": "filereader:V2", "path": "/a",
                                           "schedule": "*/5 * * * *", "timezone": "UTC",
                                           "overlap": "queue"}],
                               "outputs": [{"plugin": "stdout"}]})");
    CHECK(a.inputs[0].schedule.expression == "*/5 * * * *");
    CHECK(a.inputs[0].schedule.timezone == "UTC");
    CHECK(a.inputs[0].schedule.overlap == "queue");
    CHECK(a.inputs[0].schedule.catch_up == "none");
    CHECK_THAT(a.inputs[0].options_json, !Contains("schedule") && !Contains("timezone"));
    // Without a schedule, timezone is the plugin's (cron:V1 has one).
    AgentConfig plain = config(R"({"inputs": [{"plugin": "cron", "timezone": "UTC"}]})");
    CHECK_THAT(plain.inputs[0].options_json, Contains("timezone"));

    AgentConfig b = a;
    b.inputs[0].schedule.expression = "@hourly";
    TopologyDiff d = diff_topology(a, b);
    REQUIRE(d.added.size() == 1);
    REQUIRE(d.removed.size() == 1);
    CHECK(d.added[0].id == "filereader-a");
    CHECK(d.removed[0].id == "filereader-a");
    CHECK(config_revision(a) != config_revision(b));

    // The running configuration keeps the schedule, so -check -diff compares it.
    mafio::test::TempDir dir;
    a.data_dir = dir.path().string();
    REQUIRE(store_running_config(a).empty());
    std::string error;
    auto back = read_running_config(a.data_dir, error);
    REQUIRE(back);
    CHECK(back->inputs[0].schedule == a.inputs[0].schedule);
    CHECK(diff_topology(a, *back).empty());

    CHECK_THROWS_WITH(config(R"({"inputs": [{"plugin": "stdin", "schedule": "0 25 * * *"}]})"),
                      Contains("inputs[0].schedule: field 2 (hour) \"25\": expected 0-23"));
}
