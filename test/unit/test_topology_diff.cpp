// What a new configuration changes, by component id: the plan a reload works from.
#include "config/load_config.hpp"
#include "config/topology.hpp"
#include "config/topology_diff.hpp"

#include <catch2/catch.hpp>

using namespace mafio;

namespace {
AgentConfig config(const std::string &json) {
    AgentConfig cfg;
    apply_config_json(cfg, json, "test.json");
    assign_component_ids(cfg);
    return cfg;
}
} // namespace

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
