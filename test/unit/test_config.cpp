// Configuration: defaults < config file < -f < flags, plugin lists from flags and the rule that
// keeps configured options, and a clear error (where, what, what would be accepted) for every
// kind of bad document or value.
#include "config/load_config.hpp"

#include <catch2/catch.hpp>

#include "config_error.hpp"

#include "temp_dir.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

using Catch::Contains;
using Catch::StartsWith;
using mafio::AgentConfig;
using mafio::apply_config_json;
using mafio::CommandLine;
using mafio::ConfigError;
using mafio::load_config;

using mafio::test::config_error;
using mafio::test::TempDir;

namespace {

std::string json_error(const std::string &json) {
    CommandLine cl;
    cl.config_json = json;
    return config_error(cl);
}

AgentConfig with_json(const std::string &json) {
    CommandLine cl;
    cl.config_json = json;
    return load_config(cl);
}

std::vector<std::string> names(const std::vector<mafio::PluginSpec> &specs) {
    std::vector<std::string> out;
    for (const auto &s : specs)
        out.push_back(s.plugin);
    return out;
}

using Names = std::vector<std::string>;

const char *issue_document = R"({
  "agent": {"id": "sky02", "group": "net02"},
  "plugins_dir": "/opt/mafio/plugins", "data_dir": "/srv/mafio", "log_level": "warn",
  "http": {"address": "127.0.0.1:9000"},
  "etcd": {"endpoint": "etcd.local:2379"},
  "influxdb": {"addr": "http://influx.local:8086"},
  "channels": {"read_size": 1024, "write_size": 2048, "write_bulk_size": 100},
  "shutdown_grace": "7s",
  "inputs":  [{"plugin": "filereader:V1", "path": "/var/log/app.log"}],
  "filters": [{"plugin": "valid"}],
  "outputs": [{"plugin": "stdout"}, {"plugin": "logr", "path": "/tmp/out.log", "max_files": 3}]
})";

} // namespace

TEST_CASE("with no configuration the original agent's defaults apply", "[config]") {
    AgentConfig cfg = load_config(CommandLine{});
    CHECK(cfg.agent_id == "sky01");
    CHECK(cfg.agent_group == "net01");
    CHECK(cfg.log_level == "info");
    CHECK(cfg.http_address == "0.0.0.0:10630");
    CHECK(cfg.etcd_endpoint == "0.0.0.0:2379");
    CHECK(cfg.influxdb_addr.empty());
    CHECK(cfg.plugins_dir.empty());
    CHECK(cfg.read_channel_size == 4096);
    CHECK(cfg.write_channel_size == 4096);
    CHECK(cfg.write_bulk_size == 500);
    CHECK(cfg.shutdown_grace_s == 5.0);
    CHECK(names(cfg.inputs) == Names{"stdin"});
    CHECK(names(cfg.filters) == Names{"valid"});
    CHECK(names(cfg.outputs) == Names{"stdout"});
    CHECK(cfg.inputs[0].options_json == "{}");
    CHECK(cfg.data_dir == mafio::default_data_dir("sky01"));
}

TEST_CASE("the issue's example document sets every field", "[config]") {
    TempDir dir;
    CommandLine cl;
    cl.config_path = dir.write("mafio.json", issue_document);
    AgentConfig cfg = load_config(cl);
    CHECK(cfg.agent_id == "sky02");
    CHECK(cfg.agent_group == "net02");
    CHECK(cfg.plugins_dir == "/opt/mafio/plugins");
    CHECK(cfg.data_dir == "/srv/mafio");
    CHECK(cfg.log_level == "warn");
    CHECK(cfg.http_address == "127.0.0.1:9000");
    CHECK(cfg.etcd_endpoint == "etcd.local:2379");
    CHECK(cfg.influxdb_addr == "http://influx.local:8086");
    CHECK(cfg.read_channel_size == 1024);
    CHECK(cfg.write_channel_size == 2048);
    CHECK(cfg.write_bulk_size == 100);
    CHECK(cfg.shutdown_grace_s == 7.0);
    REQUIRE(names(cfg.inputs) == Names{"filereader:V1"});
    CHECK(cfg.inputs[0].options_json == R"({"path":"/var/log/app.log"})");
    CHECK(cfg.inputs[0].where == "inputs[0]");
    CHECK(names(cfg.filters) == Names{"valid"});
    CHECK(cfg.filters[0].options_json == "{}");
    REQUIRE(names(cfg.outputs) == Names{"stdout", "logr"});
    CHECK(cfg.outputs[1].options_json == R"({"path":"/tmp/out.log","max_files":3})");
    CHECK(cfg.outputs[1].where == "outputs[1]");
}

TEST_CASE("plugin options keep nested values and leave out only \"plugin\"", "[config]") {
    AgentConfig cfg = with_json(
        R"({"outputs": [{"max_size": "1MiB", "plugin": "logr", "tags": {"a": [1, 2.5, null, true]}}]})");
    CHECK(cfg.outputs[0].options_json == R"({"max_size":"1MiB","tags":{"a":[1,2.5,null,true]}})");
}

TEST_CASE("precedence: defaults < config file < -f < flags", "[config]") {
    TempDir dir;
    CommandLine cl;
    cl.config_path = dir.write("mafio.json", R"({
        "agent": {"id": "from_file", "group": "file_group"},
        "log_level": "warn",
        "channels": {"read_size": 100, "write_size": 200},
        "inputs": [{"plugin": "filereader", "path": "/file"}],
        "outputs": [{"plugin": "logr", "path": "/out"}]
    })");
    cl.config_json = R"({
        "agent": {"id": "from_f"},
        "channels": {"read_size": 300},
        "inputs": [{"plugin": "stdin"}]
    })";

    SECTION("-f overrides the file key by key, lists as a whole") {
        AgentConfig cfg = load_config(cl);
        CHECK(cfg.agent_id == "from_f");
        CHECK(cfg.agent_group == "file_group"); // the file's, -f did not set it
        CHECK(cfg.log_level == "warn");
        CHECK(cfg.read_channel_size == 300);
        CHECK(cfg.write_channel_size == 200);
        CHECK(cfg.write_bulk_size == 500); // the default, nobody set it
        CHECK(names(cfg.inputs) == Names{"stdin"});
        CHECK(cfg.inputs[0].options_json == "{}");
        CHECK(names(cfg.outputs) == Names{"logr"});
        CHECK(names(cfg.filters) == Names{"valid"});
    }
    SECTION("explicit flags override both") {
        cl.agent_id = "from_flag";
        cl.log_level = "debug";
        cl.max_read_channel_size = 7;
        cl.max_write_channel_size = 8;
        cl.max_write_bulk_size = 9;
        cl.http_address = "off";
        cl.etcd_endpoint = "10.0.0.1:2379";
        cl.influxdb_addr = "10.0.0.2:8086";
        cl.plugins_dir = "/p";
        cl.data_dir = "/d";
        cl.agent_group = "g";
        AgentConfig cfg = load_config(cl);
        CHECK(cfg.agent_id == "from_flag");
        CHECK(cfg.agent_group == "g");
        CHECK(cfg.log_level == "debug");
        CHECK(cfg.read_channel_size == 7);
        CHECK(cfg.write_channel_size == 8);
        CHECK(cfg.write_bulk_size == 9);
        CHECK(cfg.http_address == "off");
        CHECK(cfg.etcd_endpoint == "10.0.0.1:2379");
        CHECK(cfg.influxdb_addr == "10.0.0.2:8086");
        CHECK(cfg.plugins_dir == "/p");
        CHECK(cfg.data_dir == "/d");
    }
}

TEST_CASE("flags parsed from a real command line reach the configuration", "[config]") {
    std::vector<const char *> argv = {"mafio",
                                      "-input=file",
                                      "-filepath",
                                      "/var/log/a.log",
                                      "--output=stdout,logr",
                                      "-filter=",
                                      "-max-write-bulk-size=10"};
    AgentConfig cfg =
        load_config(mafio::parse_command_line(static_cast<int>(argv.size()), argv.data()));
    CHECK(names(cfg.inputs) == Names{"file"});
    CHECK(cfg.inputs[0].options_json == R"({"path":"/var/log/a.log"})");
    CHECK(names(cfg.outputs) == Names{"stdout", "logr"});
    CHECK(cfg.filters.empty());
    CHECK(cfg.write_bulk_size == 10);
}

TEST_CASE("list flags: several outputs, a filter chain, no filters", "[config]") {
    CommandLine cl;
    cl.output = "stdout,logr";
    cl.filter = "valid, other:V2";
    AgentConfig cfg = load_config(cl);
    CHECK(names(cfg.outputs) == Names{"stdout", "logr"});
    CHECK(names(cfg.filters) == Names{"valid", "other:V2"});
    CHECK(cfg.outputs[1].options_json == "{}");
    CHECK(cfg.outputs[1].where == "-output[1]");

    cl.filter = "";
    CHECK(load_config(cl).filters.empty());
}

TEST_CASE("list flags refuse empty lists, empty items and bad names", "[config]") {
    CommandLine cl;
    cl.input = "";
    CHECK_THAT(config_error(cl), StartsWith("-input: needs at least one plugin"));
    cl.input.reset();
    cl.output = "";
    CHECK_THAT(config_error(cl), StartsWith("-output: needs at least one plugin"));
    cl.output = "stdout,,logr";
    CHECK_THAT(config_error(cl), StartsWith("-output: empty plugin name at position 2"));
    cl.output.reset();
    for (const char *bad : {"../x", "a/b", "/tmp/evil", "Stdin", "stdin:", "stdin:V1:V2", ":V1"}) {
        cl.input = bad;
        std::string msg = config_error(cl);
        INFO(bad);
        CHECK_THAT(msg, StartsWith("-input: expected a plugin as name or name:tag"));
        CHECK_THAT(msg, Contains(std::string("got \"") + bad + "\""));
    }
    cl.input = std::string(4096, 'a') + "/";
    CHECK_THAT(config_error(cl), Contains("(4097 bytes)"));
}

TEST_CASE("a flag keeps the configured options of the same plugin at the same position",
          "[config]") {
    const std::string doc = R"({
        "inputs": [{"plugin": "filereader:V2", "path": "/var/log/app.log"}],
        "outputs": [{"plugin": "stdout"}, {"plugin": "logr", "path": "/tmp/out.log"}]
    })";
    CommandLine cl;
    cl.config_json = doc;

    SECTION("falling back to another tag keeps the path") {
        cl.input = "filereader:V1";
        AgentConfig cfg = load_config(cl);
        REQUIRE(names(cfg.inputs) == Names{"filereader:V1"});
        CHECK(cfg.inputs[0].options_json == R"({"path":"/var/log/app.log"})");
        CHECK(cfg.inputs[0].where == "inputs[0]");
    }
    SECTION("the alias file means filereader") {
        cl.input = "file";
        CHECK(load_config(cl).inputs[0].options_json == R"({"path":"/var/log/app.log"})");
    }
    SECTION("another plugin starts with no options") {
        cl.input = "stdin";
        AgentConfig cfg = load_config(cl);
        CHECK(cfg.inputs[0].options_json == "{}");
        CHECK(cfg.inputs[0].where == "-input[0]");
    }
    SECTION("entries are matched by position") {
        cl.output = "stdout,logr:V1";
        AgentConfig cfg = load_config(cl);
        CHECK(cfg.outputs[0].options_json == "{}");
        CHECK(cfg.outputs[1].options_json == R"({"path":"/tmp/out.log"})");
        CHECK(cfg.outputs[1].where == "outputs[1]");

        cl.output = "logr,stdout"; // logr moved to position 0: nothing to keep
        cfg = load_config(cl);
        CHECK(cfg.outputs[0].options_json == "{}");
        CHECK(cfg.outputs[1].options_json == "{}");
    }
}

TEST_CASE("a flag naming the configured output keeps every configured field", "[config]") {
    CommandLine cl;
    cl.config_json = R"({"outputs": [{"plugin": "logr:V1", "path": "/tmp/o.log",
                                      "retry_initial": "2s", "retry_max": "90s"}]})";
    cl.output = "logr";
    AgentConfig cfg = load_config(cl);
    REQUIRE(cfg.outputs.size() == 1);
    const mafio::PluginSpec &out = cfg.outputs[0];
    CHECK(out.plugin == "logr");
    CHECK(out.options_json == R"({"path":"/tmp/o.log"})");
    CHECK(out.where == "outputs[0]");
    CHECK(out.retry_initial_s == 2.0);
    CHECK(out.retry_max_s == 90.0);

    // Another plugin at that position starts from the defaults.
    cl.output = "stdout";
    cfg = load_config(cl);
    CHECK(cfg.outputs[0].retry_initial_s == mafio::PluginSpec{}.retry_initial_s);
    CHECK(cfg.outputs[0].retry_max_s == mafio::PluginSpec{}.retry_max_s);
}

TEST_CASE("-filepath sets the path of the first input", "[config]") {
    CommandLine cl;
    cl.input = "file";
    cl.filepath = "/var/log/x.log";
    AgentConfig cfg = load_config(cl);
    CHECK(cfg.inputs[0].options_json == R"({"path":"/var/log/x.log"})");

    SECTION("replacing a configured path and keeping the other options") {
        cl.config_json =
            R"({"inputs": [{"plugin": "filereader", "path": "/old", "exit_on_eof": true},
                           {"plugin": "stdin"}]})";
        cl.input.reset();
        cfg = load_config(cl);
        CHECK(cfg.inputs[0].options_json == R"({"exit_on_eof":true,"path":"/var/log/x.log"})");
        CHECK(cfg.inputs[1].options_json == "{}");
    }
    SECTION("an empty -filepath is refused") {
        cl.filepath = "";
        CHECK_THAT(config_error(cl), StartsWith("-filepath: needs the path"));
    }
    SECTION("-filepath on the default stdin input says to add -input=file") {
        cl.input.reset();
        CHECK_THAT(config_error(cl), StartsWith("-filepath: sets the path of a file input") &&
                                         Contains("-input=file"));
    }
}

TEST_CASE("flag values are checked like config values, naming the flag", "[config]") {
    CommandLine cl;
    cl.http_address = "nonsense";
    CHECK_THAT(config_error(cl), StartsWith("-http-address: expected host:port"));
    cl = {};
    cl.etcd_endpoint = "localhost";
    CHECK_THAT(config_error(cl), StartsWith("-etcd-endpoint: expected host:port"));
    cl = {};
    cl.influxdb_addr = "ftp://influx:8086";
    CHECK_THAT(config_error(cl), StartsWith("-influxdb-addr: expected host:port or http(s)://"));
    cl = {};
    cl.log_level = "verbose";
    CHECK_THAT(config_error(cl), StartsWith("-log-level: expected debug, info, warn or error"));
    cl = {};
    cl.agent_id = "../../etc";
    CHECK_THAT(config_error(cl), StartsWith("-agent-id: expected 1 to 128 letters"));
    cl = {};
    cl.agent_group = "";
    CHECK_THAT(config_error(cl), StartsWith("-agent-group: expected"));
}

TEST_CASE("addresses: what is accepted and what is not", "[config]") {
    for (const char *ok : {"0.0.0.0:10630", ":10630", "localhost:1", "[::1]:65535", "off", ""}) {
        INFO(ok);
        CHECK(with_json(std::string(R"({"http": {"address": ")") + ok + "\"}}").http_address == ok);
    }
    for (const char *bad : {"localhost", "host:0", "host:65536", "host:http", "a b:80", "::1:80"}) {
        INFO(bad);
        CHECK_THAT(json_error(std::string(R"({"http": {"address": ")") + bad + "\"}}"),
                   StartsWith("-f: http.address: expected host:port with a port from 1 to 65535"));
    }
    CHECK_THAT(json_error(R"({"etcd": {"endpoint": ":2379"}})"),
               StartsWith("-f: etcd.endpoint: expected host:port"));
    for (const char *ok : {"", "influx:8086", "http://influx:8086", "https://influx:8086/api/v2"}) {
        INFO(ok);
        CHECK(with_json(std::string(R"({"influxdb": {"addr": ")") + ok + "\"}}").influxdb_addr ==
              ok);
    }
    for (const char *bad : {"influx", "http://influx", "ftp://influx:8086", "http://:8086"}) {
        INFO(bad);
        CHECK_THAT(json_error(std::string(R"({"influxdb": {"addr": ")") + bad + "\"}}"),
                   StartsWith("-f: influxdb.addr: expected host:port or http(s)://host:port"));
    }
}

TEST_CASE("channel sizes: whole numbers or size strings, in range", "[config]") {
    AgentConfig cfg = with_json(R"({"channels": {"read_size": "4K", "write_bulk_size": 65536}})");
    CHECK(cfg.read_channel_size == 4096);
    CHECK(cfg.write_bulk_size == 65536);

    CHECK_THAT(
        json_error(R"({"channels": {"read_size": 0}})"),
        StartsWith("-f: channels.read_size: expected a whole number from 1 to 1048576, got 0"));
    CHECK_THAT(json_error(R"({"channels": {"write_size": 1048577}})"),
               Contains("channels.write_size: expected a whole number from 1 to 1048576"));
    CHECK_THAT(json_error(R"({"channels": {"write_bulk_size": 65537}})"),
               Contains("channels.write_bulk_size: expected a whole number from 1 to 65536"));
    CHECK_THAT(json_error(R"({"channels": {"read_size": -1}})"),
               Contains("channels.read_size: expected a whole number from 1 to 1048576 (or a "
                        "string such as \"4K\"), got -1"));
    CHECK_THAT(json_error(R"({"channels": {"read_size": 1.5}})"), Contains("got 1.5"));
    CHECK_THAT(json_error(R"({"channels": {"read_size": "lots"}})"), Contains("got \"lots\""));
}

TEST_CASE("shutdown_grace: a duration string or seconds", "[config]") {
    CHECK(with_json(R"({"shutdown_grace": "250ms"})").shutdown_grace_s == Approx(0.25));
    CHECK(with_json(R"({"shutdown_grace": 2.5})").shutdown_grace_s == Approx(2.5));
    CHECK(with_json(R"({"shutdown_grace": "1m"})").shutdown_grace_s == Approx(60));
    for (const char *bad : {R"("soon")", "-1", R"("25h")", "true"}) {
        INFO(bad);
        CHECK_THAT(json_error(std::string(R"({"shutdown_grace": )") + bad + "}"),
                   StartsWith("-f: shutdown_grace: expected a duration"));
    }
}

TEST_CASE("null means the default", "[config]") {
    AgentConfig cfg = with_json(R"({"log_level": null, "agent": null, "inputs": null})");
    CHECK(cfg.log_level == "info");
    CHECK(names(cfg.inputs) == Names{"stdin"});
}

TEST_CASE("a JSON syntax error names file:line:col and rapidjson's reason", "[config]") {
    TempDir dir;
    CommandLine cl;
    cl.config_path =
        dir.write("bad.json", "{\n  \"log_level\": \"info\",\n  \"agent\": {\"id\" \"x\"}\n}");
    CHECK(config_error(cl) ==
          *cl.config_path + ":3:18: Missing a colon after a name of object member.");

    // Columns count characters, not bytes.
    cl.config_path = dir.write("utf8.json", "{\"a\":\n \"\xC3\xA9\xC3\xA9\" x}");
    CHECK_THAT(config_error(cl), StartsWith(*cl.config_path + ":2:7: "));
}

TEST_CASE("a syntax error in -f is reported as -f:line:col", "[config]") {
    CHECK(json_error(R"({"log_level": "info" "x": 1})") ==
          "-f:1:22: Missing a comma or '}' after an object member.");
}

TEST_CASE("malformed documents: empty, truncated, trailing garbage", "[config]") {
    TempDir dir;
    CommandLine cl;

    cl.config_path = dir.write("empty.json", "");
    std::string msg = config_error(cl);
    CHECK_THAT(msg, StartsWith(*cl.config_path + ": the document is empty (0 bytes)"));
    CHECK_THAT(msg, Contains("expected a JSON object"));

    cl.config_path = dir.write("blank.json", " \n\t\n");
    CHECK_THAT(config_error(cl), StartsWith(*cl.config_path + ": the document is empty;"));

    cl.config_path = dir.write("truncated.json", R"({"inputs": [{"plugin": "stdin"})");
    CHECK(config_error(cl) ==
          *cl.config_path + ":1:32: Missing a comma or ']' after an array element.");

    cl.config_path = dir.write("two_commas.json", R"({"inputs": [{"plugin": "stdin"},,]})");
    CHECK_THAT(config_error(cl), StartsWith(*cl.config_path + ":1:33: "));

    cl.config_path = dir.write("open_comment.json", "{\"log_level\": \"info\" /* no end\n}");
    CHECK_THAT(config_error(cl), StartsWith(*cl.config_path + ":"));

    cl.config_path = dir.write("garbage.json", "{} {}");
    CHECK(config_error(cl) ==
          *cl.config_path + ":1:4: The document root must not be followed by other values.");

    cl.config_path = dir.write("nul.json", std::string("{}\0{\"x\"", 7));
    CHECK_THAT(config_error(cl), StartsWith(*cl.config_path + ":1:3: NUL byte"));

    cl.config_path = dir.write("latin1.json", "{\"agent\": {\"id\": \"caf\xE9\"}}");
    CHECK_THAT(config_error(cl), Contains("Invalid encoding"));
}

TEST_CASE("a UTF-8 byte-order mark is skipped", "[config]") {
    CHECK(with_json("\xEF\xBB\xBF{\"log_level\": \"warn\"}").log_level == "warn");
}

TEST_CASE("10000-deep nesting is refused cleanly, never by recursion", "[config]") {
    const std::string opened(10000, '['), closed(10000, ']');
    std::string msg = json_error(R"({"x": )" + opened + closed + "}");
    CHECK(msg == "-f:1:70: nesting deeper than 64 levels; a configuration needs only a few");

    // Never closed, objects, inside plugin options, from a file.
    CHECK_THAT(json_error(opened), Contains("nesting deeper than 64 levels"));
    std::string objects;
    for (int i = 0; i < 10000; ++i)
        objects += "{\"a\":";
    CHECK_THAT(json_error(objects), Contains("nesting deeper than 64 levels"));
    CHECK_THAT(json_error(R"({"inputs": [{"plugin": "stdin", "deep": )" + opened + closed + "}]}"),
               Contains("nesting deeper than 64 levels"));

    TempDir dir;
    CommandLine cl;
    cl.config_path = dir.write("deep.json", opened + closed);
    CHECK_THAT(config_error(cl), StartsWith(*cl.config_path + ":1:65: nesting deeper"));

    // 64 levels are fine.
    std::string ok = R"({"inputs": [{"plugin": "stdin", "deep": )" + std::string(61, '[') +
                     std::string(61, ']') + "}]}";
    CHECK(with_json(ok).inputs[0].options_json.size() == 2 + 7 + 122);
}

TEST_CASE("the top level must be an object", "[config]") {
    for (const char *doc : {"[]", "42", "\"text\"", "null"}) {
        INFO(doc);
        CHECK_THAT(json_error(doc), StartsWith("-f: expected a JSON object at the top level"));
    }
}

TEST_CASE("an unknown key names its path and the nearest known key", "[config]") {
    CHECK_THAT(json_error(R"({"log_levl": "info"})"),
               StartsWith(R"(-f: log_levl: unknown key; did you mean "log_level"?)"));
    std::string msg = json_error(R"({"channels": {"read_sise": 1}})");
    CHECK_THAT(msg,
               StartsWith(R"(-f: channels.read_sise: unknown key; did you mean "read_size"?)"));
    CHECK_THAT(msg, Contains("known keys in channels: read_size, write_size, write_bulk_size"));
    CHECK_THAT(json_error(R"({"agent": {"name": "x"}})"),
               StartsWith("-f: agent.name: unknown key"));
    msg = json_error(R"({"zzzzzzzzzzzzzzzzzzzz": 1})");
    CHECK_THAT(msg,
               StartsWith("-f: zzzzzzzzzzzzzzzzzzzz: unknown key (known keys at the top level:"));
    CHECK_THAT(msg, !Contains("did you mean"));
}

TEST_CASE("a duplicate key is refused", "[config]") {
    CHECK_THAT(json_error(R"({"log_level": "info", "log_level": "debug"})"),
               StartsWith("-f: log_level: duplicate key"));
    CHECK_THAT(json_error(R"({"outputs": [{"plugin": "logr", "path": "a", "path": "b"}]})"),
               StartsWith("-f: outputs[0].path: duplicate key"));
}

TEST_CASE("a wrong type names the path and the expected type", "[config]") {
    CHECK(json_error(R"({"agent": {"id": 42}})") == "-f: agent.id: expected a string, got 42");
    CHECK(json_error(R"({"agent": "sky01"})") == "-f: agent: expected an object, got \"sky01\"");
    CHECK(json_error(R"({"plugins_dir": ["a"]})") ==
          "-f: plugins_dir: expected a string, got an array");
    CHECK(json_error(R"({"http": {"address": 10630}})") ==
          "-f: http.address: expected a string, got 10630");
    CHECK_THAT(json_error(R"({"inputs": {"plugin": "stdin"}})"),
               StartsWith("-f: inputs: expected an array of plugin objects"));
    CHECK_THAT(json_error(R"({"outputs": ["stdout"]})"),
               StartsWith("-f: outputs[0]: expected an object {\"plugin\": \"name:tag\""));
    CHECK_THAT(
        json_error(R"({"filters": [{"plugin": 7}]})"),
        StartsWith("-f: filters[0].plugin: expected a string such as \"filereader:V1\", got 7"));
}

TEST_CASE("log_level is one of debug, info, warn, error", "[config]") {
    for (const char *ok : {"debug", "info", "warn", "error"})
        CHECK(with_json(std::string(R"({"log_level": ")") + ok + "\"}").log_level == ok);
    CHECK(json_error(R"({"log_level": "INFO"})") ==
          "-f: log_level: expected debug, info, warn or error, got \"INFO\"");
}

TEST_CASE("a plugin entry needs a valid \"plugin\" name", "[config]") {
    CHECK(
        json_error(R"({"inputs": [{"plugin": "stdin"}, {"path": "/x"}]})") ==
        R"(-f: inputs[1]: missing "plugin"; expected {"plugin": "name:tag", ...the plugin's options})");
    for (const char *bad : {"../x", "a/b", "/tmp/evil", "File", "", "x:", "x:V1/2", "x y"}) {
        INFO(bad);
        CHECK_THAT(json_error(std::string(R"({"outputs": [{"plugin": ")") + bad + "\"}]}"),
                   StartsWith("-f: outputs[0].plugin: expected a plugin as name or name:tag "
                              "(name: a-z, 0-9, _; tag: A-Z, a-z, 0-9, _, .; e.g. filereader:V1)"));
    }
    CHECK(names(with_json(R"({"inputs": [{"plugin": "file_reader2:V1.2_x"}]})").inputs) ==
          Names{"file_reader2:V1.2_x"});
}

TEST_CASE("empty inputs or outputs leave nothing to run", "[config]") {
    CHECK_THAT(json_error(R"({"inputs": []})"), StartsWith("inputs: at least one input is needed"));
    CHECK_THAT(json_error(R"({"outputs": []})"),
               StartsWith("outputs: at least one output is needed"));
    CHECK(with_json(R"({"filters": []})").filters.empty());
    // A flag can fill the list the file left empty.
    CommandLine cl;
    cl.config_json = R"({"inputs": []})";
    cl.input = "stdin";
    CHECK(names(load_config(cl).inputs) == Names{"stdin"});
}

TEST_CASE("a config file that cannot be read names its path and the reason", "[config]") {
    TempDir dir;
    CommandLine cl;
    cl.config_path = dir.path().string() + "/missing.json";
    CHECK(config_error(cl) ==
          "cannot read config file " + *cl.config_path + ": No such file or directory");
    cl.config_path = dir.path().string();
    CHECK(config_error(cl) ==
          "cannot read config file " + dir.path().string() + ": Is a directory");
    cl.config_path = "";
    CHECK_THAT(config_error(cl), StartsWith("-config: needs the path"));
}

TEST_CASE("a document with an error leaves the configuration as it was", "[config]") {
    AgentConfig cfg;
    CHECK_THROWS_AS(apply_config_json(cfg, R"({"log_level": "debug", "agent": {"id": 1}})", "x"),
                    ConfigError);
    CHECK(cfg.log_level == "info");
}

TEST_CASE("the data directory defaults per agent id", "[config]") {
    if (::geteuid() == 0) {
        CHECK(mafio::default_data_dir("a1") == "/var/lib/mafio/a1");
    } else {
        const char *old_xdg = std::getenv("XDG_STATE_HOME");
        std::string saved = old_xdg ? old_xdg : "";
        ::setenv("XDG_STATE_HOME", "/xdg/state", 1);
        CHECK(mafio::default_data_dir("a1") == "/xdg/state/mafio/a1");
        ::setenv("XDG_STATE_HOME", "relative/ignored", 1);
        if (const char *home = std::getenv("HOME"); home && *home)
            CHECK(mafio::default_data_dir("a1") == std::string(home) + "/.local/state/mafio/a1");
        if (old_xdg)
            ::setenv("XDG_STATE_HOME", saved.c_str(), 1);
        else
            ::unsetenv("XDG_STATE_HOME");
    }
    CommandLine cl;
    cl.agent_id = "edge7";
    CHECK(load_config(cl).data_dir == mafio::default_data_dir("edge7"));
    cl.config_json = R"({"data_dir": "/srv/state"})";
    CHECK(load_config(cl).data_dir == "/srv/state");
}
