// etcd discovery (issue 12): base64, the watch stream splitter (chunks cut anywhere), the watch
// message decoding, backoff, the central-config merge rules, the policy refusals and the cache.
#include "config/load_config.hpp"
#include "discovery/backoff.hpp"
#include "discovery/base64.hpp"
#include "discovery/central_config.hpp"
#include "discovery/etcd_client.hpp"
#include "discovery/json_stream.hpp"

#include <catch2/catch.hpp>

#include "temp_dir.hpp"

#include <string>
#include <vector>

using namespace mafio;

TEST_CASE("base64 round-trips every length and byte, and refuses what is not base64", "[etcd]") {
    REQUIRE(base64_encode("") == "");
    REQUIRE(base64_encode("f") == "Zg==");
    REQUIRE(base64_encode("fo") == "Zm8=");
    REQUIRE(base64_encode("foo") == "Zm9v");
    REQUIRE(base64_encode("/mafio/agents/g/a1") == "L21hZmlvL2FnZW50cy9nL2Ex");
    std::string all;
    for (int i = 0; i < 256; ++i)
        all += static_cast<char>(i);
    for (size_t n = 0; n <= all.size(); n += 37)
        REQUIRE(base64_decode(base64_encode(all.substr(0, n))) == all.substr(0, n));
    REQUIRE(base64_decode("Zm8=") == std::string("fo"));
    REQUIRE_FALSE(base64_decode("Zm8"));  // not a multiple of 4
    REQUIRE_FALSE(base64_decode("Zm*v")); // outside the alphabet
    REQUIRE_FALSE(base64_decode("Z=8v")); // padding in the middle
}

TEST_CASE("the watch stream splitter yields whole objects whatever the chunks", "[etcd]") {
    const std::string stream = R"({"result":{"created":true}})"
                               "\n"
                               R"({"result":{"events":[{"kv":{"key":"a}\"{"}}]}})"
                               "\r\n"
                               R"({"result":{"x":"\\"}})";
    // Every way of cutting the stream in two, and byte by byte.
    for (size_t cut = 0; cut <= stream.size(); ++cut) {
        JsonStreamSplitter s;
        auto a = s.feed(std::string_view(stream).substr(0, cut));
        auto b = s.feed(std::string_view(stream).substr(cut));
        a.insert(a.end(), b.begin(), b.end());
        REQUIRE(a.size() == 3);
        REQUIRE(a[1] == R"({"result":{"events":[{"kv":{"key":"a}\"{"}}]}})");
        REQUIRE(a[2] == R"({"result":{"x":"\\"}})");
        REQUIRE(s.pending() == 0);
    }
    JsonStreamSplitter bytewise;
    size_t n = 0;
    for (char c : stream)
        n += bytewise.feed(std::string_view(&c, 1)).size();
    REQUIRE(n == 3);
}

TEST_CASE("watch messages decode events, deletions, creation and compaction", "[etcd]") {
    auto m = parse_watch_message(
        R"({"result":{"header":{"revision":"42"},"events":[{"kv":{"key":")" +
        base64_encode("/mafio/config/g") + R"(","value":")" + base64_encode("{}") +
        R"(","mod_revision":"41"}},{"type":"DELETE","kv":{"key":")" +
        base64_encode("/mafio/config/g/a") + R"(","mod_revision":"42"}}]}})");
    REQUIRE(m.revision == 42);
    REQUIRE(m.events.size() == 2);
    REQUIRE(m.events[0].kv.key == "/mafio/config/g");
    REQUIRE(m.events[0].kv.value == "{}");
    REQUIRE_FALSE(m.events[0].deleted);
    REQUIRE(m.events[1].deleted);
    REQUIRE(m.events[1].kv.mod_revision == 42);
    REQUIRE(parse_watch_message(R"({"result":{"created":true}})").created);
    auto c = parse_watch_message(R"({"result":{"canceled":true,"compact_revision":"7"}})");
    REQUIRE(c.canceled);
    REQUIRE(c.compact_revision == 7);
    REQUIRE_THROWS_AS(parse_watch_message(R"({"error":{"message":"transport is closing"}})"),
                      EtcdError);
}

TEST_CASE("prefix range ends and endpoint lists", "[etcd]") {
    REQUIRE(prefix_range_end("/mafio/config/g") == "/mafio/config/h");
    REQUIRE(prefix_range_end("a\xff") == "b");
    REQUIRE(split_endpoints("a:1,b:2,,https://c:3") ==
            std::vector<std::string>{"a:1", "b:2", "https://c:3"});
}

TEST_CASE("backoff doubles up to its bound and starts over after a success", "[etcd]") {
    using ms = std::chrono::milliseconds;
    Backoff b(ms(500), ms(3000));
    REQUIRE(b.next() == ms(500));
    REQUIRE(b.next() == ms(1000));
    REQUIRE(b.next() == ms(2000));
    REQUIRE(b.next() == ms(3000));
    REQUIRE(b.next() == ms(3000));
    b.reset();
    REQUIRE(b.next() == ms(500));
}

namespace {

AgentConfig local_config() {
    AgentConfig cfg;
    apply_config_json(cfg,
                      R"({"log_level":"info","channels":{"read_size":1000,"write_size":2000},
                          "inputs":[{"plugin":"filereader:V2","id":"app","path":"/a"}],
                          "outputs":[{"plugin":"stdout","id":"out"}]})",
                      "local");
    return cfg;
}

} // namespace

TEST_CASE("central config: local < group < agent, keys replace, lists whole", "[etcd]") {
    AgentConfig cfg = local_config();
    CentralConfig c;
    c.group = R"({"log_level":"warn","channels":{"read_size":500},
                  "inputs":[{"plugin":"filereader:V1","id":"app","path":"/a"}]})";
    c.agent = R"({"log_level":"debug"})";
    apply_central(cfg, c, "group", "agent");
    REQUIRE(cfg.log_level == "debug");       // agent over group
    REQUIRE(cfg.read_channel_size == 500);   // group over local, key by key
    REQUIRE(cfg.write_channel_size == 2000); // untouched key of the same object stays
    REQUIRE(cfg.inputs.size() == 1);
    REQUIRE(cfg.inputs[0].plugin == "filereader:V1"); // the list replaced whole
    REQUIRE(cfg.outputs.size() == 1);
    REQUIRE(cfg.outputs[0].plugin == "stdout"); // not set centrally: local

    AgentConfig only_agent = local_config();
    CentralConfig a;
    a.agent = R"({"inputs":[{"plugin":"filereader:V1","id":"app","path":"/b"}]})";
    apply_central(only_agent, a, "group", "agent");
    REQUIRE(only_agent.inputs[0].options_json == R"({"path":"/b"})");
}

TEST_CASE("central config may not set where the agent lives or who controls it", "[etcd]") {
    for (const char *doc : {R"({"http":{"address":"0.0.0.0:1"}})", R"({"data_dir":"/x"})",
                            R"({"etcd":{"allow_exec":true}})", R"({"agent":{"id":"x"}})",
                            R"({"plugins_dir":"/x"})", R"({"influxdb":{"addr":"h:1"}})"}) {
        AgentConfig cfg = local_config();
        const AgentConfig before = cfg;
        CentralConfig c;
        c.group = doc;
        REQUIRE_THROWS_WITH(apply_central(cfg, c, "etcd /mafio/config/g", "agent"),
                            Catch::Contains("etcd /mafio/config/g") &&
                                Catch::Contains("central configuration may not set"));
        REQUIRE(cfg.http_address == before.http_address);
        REQUIRE(cfg.data_dir == before.data_dir);
        REQUIRE_FALSE(cfg.etcd_allow_exec);
    }
}

TEST_CASE("command and exec plugins from etcd need the local etcd.allow_exec", "[etcd]") {
    const std::string doc =
        R"({"outputs":[{"plugin":"stdout"},{"plugin":"command:V1","command":"rm -rf /"}]})";
    REQUIRE_THROWS_WITH(check_central_policy(doc, "etcd k", false),
                        Catch::Contains("outputs[1].plugin") &&
                            Catch::Contains("etcd.allow_exec: true"));
    REQUIRE_THROWS_WITH(
        check_central_policy(R"({"inputs":[{"plugin":"exec","command":"x"}]})", "k", false),
        Catch::Contains("inputs[0].plugin"));
    REQUIRE_NOTHROW(check_central_policy(doc, "etcd k", true));
    // Through the merge: the local configuration's allow_exec decides.
    AgentConfig cfg = local_config();
    CentralConfig c;
    c.agent = doc;
    REQUIRE_THROWS_WITH(apply_central(cfg, c, "g", "a"), Catch::Contains("allow_exec"));
    apply_config_json(cfg, R"({"etcd":{"allow_exec":true}})", "local");
    REQUIRE_NOTHROW(apply_central(cfg, c, "g", "a"));
    REQUIRE(cfg.outputs.size() == 2);
}

TEST_CASE("an invalid central document names its key and changes nothing", "[etcd]") {
    AgentConfig cfg = local_config();
    CentralConfig c;
    c.group = R"({"inputs":[{"plugin":"filereader:V1","id":"app","path":"/a"}]})";
    c.agent = R"({"channels":{"read_size":"lots"}})";
    AgentConfig copy = cfg;
    REQUIRE_THROWS_WITH(apply_central(copy, c, "etcd G", "etcd A"),
                        Catch::Contains("etcd A") && Catch::Contains("channels.read_size"));
    REQUIRE(cfg.inputs[0].plugin == "filereader:V2");
}

TEST_CASE("the etcd settings of the local configuration", "[etcd]") {
    AgentConfig cfg;
    REQUIRE_FALSE(cfg.etcd_enabled); // the default endpoint alone: off
    apply_config_json(cfg,
                      R"({"etcd":{"endpoints":["127.0.0.1:2379","https://h:2379"],
                          "prefix":"/fleet","lease_ttl":"4s","allow_exec":true}})",
                      "local");
    REQUIRE(cfg.etcd_enabled);
    REQUIRE(cfg.etcd_endpoint == "127.0.0.1:2379,https://h:2379");
    REQUIRE(cfg.etcd_prefix == "/fleet");
    REQUIRE(cfg.etcd_lease_ttl_s == 4.0);
    REQUIRE(cfg.etcd_allow_exec);
    AgentConfig bad;
    REQUIRE_THROWS_WITH(apply_config_json(bad, R"({"etcd":{"prefix":"mafio/"}})", "f"),
                        Catch::Contains("etcd.prefix"));
    REQUIRE_THROWS_WITH(apply_config_json(bad, R"({"etcd":{"endpoints":"a:1,nope"}})", "f"),
                        Catch::Contains("etcd.endpoints"));
    REQUIRE_THROWS_WITH(apply_config_json(bad, R"({"etcd":{"username":"u"}})", "f"),
                        Catch::Contains("password_file"));
}

TEST_CASE("the central config cache round-trips and survives a missing file", "[etcd]") {
    mafio::test::TempDir dir;
    std::string problem;
    REQUIRE_FALSE(load_central_cache(dir.path().string(), problem));
    REQUIRE(problem.empty());
    CentralConfig c;
    c.group = R"({"log_level":"warn"})";
    c.revision = 12;
    REQUIRE(store_central_cache(dir.path().string(), c).empty());
    auto back = load_central_cache(dir.path().string(), problem);
    REQUIRE(back);
    REQUIRE(back->group == c.group);
    REQUIRE_FALSE(back->agent);
    REQUIRE(back->revision == 12);
}
