// The original agent's TOML config (-config agent.conf): its keys mapped onto the JSON model,
// per-plugin option files named by "@pluginName" relative to the config, flags that swap a
// plugin taking that plugin's own file, and errors naming FILE:LINE:COL. The configs are
// written here in the original's format (its documented key names).
#include "config/config_format.hpp"
#include "config/load_config.hpp"

#include <catch2/catch.hpp>

#include "config_error.hpp"

#include "temp_dir.hpp"

#include <cstdlib>
#include <string>
#include <vector>

using Catch::Contains;
using Catch::StartsWith;
using mafio::AgentConfig;
using mafio::CommandLine;
using mafio::ConfigError;
using mafio::ConfigFormat;
using mafio::detect_config_format;
using mafio::load_config;
using mafio::test::config_error;
using mafio::test::TempDir;

namespace {

std::vector<std::string> names(const std::vector<mafio::PluginSpec> &specs) {
    std::vector<std::string> out;
    for (const auto &s : specs)
        out.push_back(s.plugin);
    return out;
}

using Names = std::vector<std::string>;

// A directory with the original's layout: agent.conf and its plugin option files in conf/.
struct OriginalLayout {
    TempDir dir;
    OriginalLayout() {
        std::filesystem::create_directory(dir.path() / "conf");
        dir.write("conf/reader-v1.json",
                  R"({"@pluginName": "filereader:V1", "path": "/var/log/v1.log"})");
        dir.write("conf/reader-v2.json", R"({"@pluginName": "filereader:V2",
                                            "path": "/var/log/*.log", "exit_on_eof": true})");
        dir.write("conf/logr.json", R"({"@pluginName": "logr", "path": "/tmp/out.log",
                                       "max_files": 3})");
    }
    CommandLine with(const std::string &toml) const {
        CommandLine cl;
        cl.config_path = dir.write("agent.conf", toml);
        return cl;
    }
};

const char *const full_config = R"(# written the way the original agent's agent.conf was
agent_id = "sky07"
agent_group = "net03"
http_address = "127.0.0.1:10631"
max_write_channel_size = 1024
max_write_bulk_size = 100
send_interval = 3
input = "filereader:V2"
filter = "valid"
output = "logr"
plugins_config_paths = ["conf/reader-v1.json", "conf/reader-v2.json", "conf/logr.json"]
)";

} // namespace

TEST_CASE("every key of the original's TOML config lands in the JSON model", "[config][toml]") {
    OriginalLayout layout;
    AgentConfig cfg = load_config(layout.with(full_config));
    CHECK(cfg.agent_id == "sky07");
    CHECK(cfg.agent_group == "net03");
    CHECK(cfg.http_address == "127.0.0.1:10631");
    CHECK(cfg.write_channel_size == 1024);
    CHECK(cfg.write_bulk_size == 100);
    REQUIRE(names(cfg.inputs) == Names{"filereader:V2"});
    CHECK(cfg.inputs[0].options_json == R"({"path":"/var/log/*.log","exit_on_eof":true})");
    CHECK(cfg.inputs[0].where == "inputs[0]");
    CHECK(names(cfg.filters) == Names{"valid"});
    CHECK(cfg.filters[0].options_json == "{}");
    REQUIRE(names(cfg.outputs) == Names{"logr"});
    CHECK(cfg.outputs[0].options_json == R"({"path":"/tmp/out.log","max_files":3})");
    CHECK(cfg.outputs[0].where == "outputs[0]");
    // Settings the TOML does not name keep their defaults.
    CHECK(cfg.read_channel_size == AgentConfig{}.read_channel_size);
    CHECK(cfg.log_level == "info");
}

TEST_CASE("a flag swapping a plugin takes that plugin's own options file", "[config][toml]") {
    OriginalLayout layout;
    CommandLine cl = layout.with(full_config);
    SECTION("the original's downgrade: -input=filereader:V1") {
        cl.input = "filereader:V1";
        AgentConfig cfg = load_config(cl);
        REQUIRE(names(cfg.inputs) == Names{"filereader:V1"});
        CHECK(cfg.inputs[0].options_json == R"({"path":"/var/log/v1.log"})");
    }
    SECTION("a plugin without a file starts with no options") {
        cl.output = "stdout";
        CHECK(load_config(cl).outputs[0].options_json == "{}");
    }
    SECTION("-m-id reaches agent_id over the file's value") {
        cl.agent_id = "edge1"; // what -m-id and -agent-id both set
        CHECK(load_config(cl).agent_id == "edge1");
    }
}

TEST_CASE("plugin lists: one name, comma-separated names, a TOML array, no filters",
          "[config][toml]") {
    OriginalLayout layout;
    AgentConfig cfg = load_config(layout.with("output = \"stdout, logr\"\n"
                                              "filter = \"\"\n"
                                              "plugins_config_paths = [\"conf/logr.json\"]\n"));
    CHECK(names(cfg.outputs) == Names{"stdout", "logr"});
    CHECK(cfg.outputs[1].where == "outputs[1]");
    CHECK(cfg.outputs[1].options_json == R"({"path":"/tmp/out.log","max_files":3})");
    CHECK(cfg.filters.empty());
    CHECK(names(cfg.inputs) == Names{"stdin"}); // the default

    cfg = load_config(layout.with("input = [\"stdin\", \"file\"]\nfilter = []\n"));
    CHECK(names(cfg.inputs) == Names{"stdin", "file"});
    CHECK(cfg.filters.empty());

    std::string msg = config_error(layout.with("agent_id = \"a\"\noutput = \"\"\n"));
    CHECK_THAT(msg, StartsWith(layout.dir.path().string() + "/agent.conf:2:10: output: needs at "
                                                            "least one plugin"));
    msg = config_error(layout.with("input = \"stdin,,file\"\n"));
    CHECK_THAT(msg, StartsWith(layout.dir.path().string() + "/agent.conf:1:9: input: "));
}

TEST_CASE("option files are found relative to the config file, or by absolute path",
          "[config][toml]") {
    OriginalLayout layout;
    std::string abs = (layout.dir.path() / "conf/logr.json").string();
    // The working directory is not the config's: a relative path resolved against it would fail.
    CHECK(load_config(layout.with("output = \"logr\"\nplugins_config_paths = [\"" + abs + "\"]\n"))
              .outputs[0]
              .options_json == R"({"path":"/tmp/out.log","max_files":3})");
    std::string msg =
        config_error(layout.with("output = \"logr\"\nplugins_config_paths = [\"conf/nope.json\"]"));
    CHECK_THAT(msg, StartsWith("cannot read config file " + layout.dir.path().string() +
                               "/conf/nope.json: No such file or directory (listed in "));
    CHECK_THAT(msg, Contains("agent.conf:2:25)"));
}

TEST_CASE("option file errors name the option file", "[config][toml]") {
    OriginalLayout layout;
    std::string conf = "output = \"logr\"\nplugins_config_paths = [\"conf/bad.json\"]\n";
    std::string bad = (layout.dir.path() / "conf/bad.json").string();

    layout.dir.write("conf/bad.json", R"({"path": "/tmp/x"})");
    CHECK_THAT(config_error(layout.with(conf)), StartsWith(bad + ": missing \"@pluginName\""));

    layout.dir.write("conf/bad.json", R"({"@pluginName": 3})");
    CHECK_THAT(config_error(layout.with(conf)), StartsWith(bad + ": @pluginName: expected"));

    layout.dir.write("conf/bad.json", R"({"@pluginName": "logr", "@pluginname": "x"})");
    CHECK_THAT(config_error(layout.with(conf)), StartsWith(bad + ": @pluginname: unknown key"));

    layout.dir.write("conf/bad.json", "{\"@pluginName\": \"logr\",\n \"path\" \"x\"}");
    CHECK_THAT(config_error(layout.with(conf)), StartsWith(bad + ":2:9: "));

    layout.dir.write("conf/bad.json", R"(["logr"])");
    CHECK_THAT(config_error(layout.with(conf)), StartsWith(bad + ": expected a JSON object"));

    // Two files for one plugin: which one would apply is not obvious, so neither does.
    std::string msg = config_error(
        layout.with("plugins_config_paths = [\"conf/logr.json\", \"conf/logr.json\"]\n"));
    CHECK_THAT(msg, Contains("@pluginName \"logr\" is also named by"));
}

TEST_CASE("a plugin matching several option files only by name is ambiguous", "[config][toml]") {
    OriginalLayout layout;
    std::string msg = config_error(
        layout.with("input = \"filereader:V3\"\n"
                    "plugins_config_paths = [\"conf/reader-v1.json\", \"conf/reader-v2.json\"]\n"));
    CHECK_THAT(msg, Contains("agent.conf:1:9: input: \"filereader:V3\" has no plugins_config_paths "
                             "file of its own"));
    CHECK_THAT(msg, Contains("reader-v1.json: filereader:V1"));
    // With one candidate, its options apply (as -input keeps a configured tag's options).
    AgentConfig cfg = load_config(
        layout.with("input = \"filereader\"\nplugins_config_paths = [\"conf/reader-v1.json\"]\n"));
    CHECK(cfg.inputs[0].options_json == R"({"path":"/var/log/v1.log"})");
}

TEST_CASE("TOML errors name FILE:LINE:COL", "[config][toml]") {
    OriginalLayout layout;
    std::string conf = (layout.dir.path() / "agent.conf").string();

    std::string msg = config_error(layout.with("agent_id = \"a\"\nagnet_group = \"b\"\n"));
    CHECK_THAT(msg, StartsWith(conf + ":2:1: agnet_group: unknown key; did you mean "
                                      "\"agent_group\"?"));
    CHECK_THAT(msg, Contains("plugins_config_paths"));

    // A quoted key is shown quoted, control characters replaced.
    CHECK_THAT(config_error(layout.with("\"\\u001b[31m\" = 1\n")),
               StartsWith(conf + ":1:1: \"?[31m\": unknown key"));
    CHECK_THAT(config_error(layout.with("[agent]\nid = \"a\"\n")),
               StartsWith(conf + ":1:2: agent: unknown key"));
    CHECK_THAT(config_error(layout.with("agent_id = 7\n")),
               StartsWith(conf + ":1:12: agent_id: expected a string, got 7"));
    CHECK_THAT(config_error(layout.with("agent_id = \"a b\"\n")),
               StartsWith(conf + ":1:12: agent_id: "));
    CHECK_THAT(config_error(layout.with("\n\nhttp_address = \"nowhere\"\n")),
               StartsWith(conf + ":3:16: http_address: "));
    CHECK_THAT(config_error(layout.with("max_write_bulk_size = 0\n")),
               StartsWith(conf + ":1:23: max_write_bulk_size: "));
    CHECK_THAT(config_error(layout.with("max_write_channel_size = -1\n")),
               StartsWith(conf + ":1:26: max_write_channel_size: expected a whole number"));
    CHECK_THAT(config_error(layout.with("plugins_config_paths = 3\n")),
               StartsWith(conf + ":1:24: plugins_config_paths: expected a list"));
    CHECK_THAT(config_error(layout.with("agent_id = \"unterminated\nagent_group = \"x\"\n")),
               StartsWith(conf + ":1:"));
    CHECK_THAT(config_error(layout.with("agent_id = \"a\"\nagent_id = \"b\"\n")),
               StartsWith(conf + ":2:"));
}

TEST_CASE("send_interval has no meaning in mafio: accepted, not an error", "[config][toml]") {
    OriginalLayout layout;
    CHECK(load_config(layout.with("send_interval = \"5s\"\nagent_id = \"a\"\n")).agent_id == "a");
}

TEST_CASE("TOML string values take ${NAME} substitution", "[config][toml][env]") {
    OriginalLayout layout;
    ::setenv("MAFIO_TEST_TOML_ID", "from-env", 1);
    ::unsetenv("MAFIO_TEST_TOML_UNSET");
    CHECK(load_config(layout.with("agent_id = \"${MAFIO_TEST_TOML_ID}\"\n")).agent_id ==
          "from-env");
    CHECK(
        load_config(layout.with("agent_group = \"${MAFIO_TEST_TOML_UNSET:-g1}\"\n")).agent_group ==
        "g1");
    CHECK_THAT(config_error(layout.with("\nagent_id = \"${MAFIO_TEST_TOML_UNSET}\"\n")),
               Contains("agent.conf:2:12: agent_id: environment variable MAFIO_TEST_TOML_UNSET "
                        "is not set"));
    ::unsetenv("MAFIO_TEST_TOML_ID");
}

TEST_CASE("-config format: by extension, else by content", "[config][toml]") {
    CHECK(detect_config_format("a.json", "agent_id = 1") == ConfigFormat::json);
    CHECK(detect_config_format("a.toml", "{}") == ConfigFormat::toml);
    CHECK(detect_config_format("agent.conf", "agent_id = \"x\"") == ConfigFormat::toml);
    CHECK(detect_config_format("agent.conf", "# c\n[x]") == ConfigFormat::toml);
    CHECK(detect_config_format("mafio.conf", "\xEF\xBB\xBF // c\n/* d */ {}") ==
          ConfigFormat::json);
    CHECK(detect_config_format("/etc/mafio/config", " \n{\"a\": 1}") == ConfigFormat::json);
    CHECK(detect_config_format("/etc/mafio/config", "") == ConfigFormat::json); // "empty"

    // A JSON document in a .conf file is read as JSON.
    TempDir dir;
    CommandLine cl;
    cl.config_path = dir.write("mafio.conf", R"({"agent": {"id": "j1"}})");
    CHECK(load_config(cl).agent_id == "j1");
}
