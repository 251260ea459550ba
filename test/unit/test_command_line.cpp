// The command line: Go-style flags (-name=value, -name value, --name=value, --name value),
// defaults untouched when a flag is absent, and an error naming the flag for every bad input.
#include "options/command_line.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using mafio::CommandLine;
using mafio::parse_command_line;
using mafio::UsageError;

namespace {

CommandLine parse(std::vector<std::string> args) {
    args.insert(args.begin(), "mafio");
    std::vector<const char *> argv;
    for (const auto &a : args)
        argv.push_back(a.c_str());
    return parse_command_line(static_cast<int>(argv.size()), argv.data());
}

// The message of the UsageError the arguments cause; fails the test when there is none.
std::string usage_error(std::vector<std::string> args) {
    try {
        parse(std::move(args));
    } catch (const UsageError &e) {
        return e.what();
    }
    FAIL("expected a UsageError");
    return "";
}

// The four spellings of `flag` set to `value`.
std::vector<std::vector<std::string>> styles(const std::string &flag, const std::string &value) {
    return {{"-" + flag + "=" + value},
            {"-" + flag, value},
            {"--" + flag + "=" + value},
            {"--" + flag, value}};
}

struct TextFlag {
    const char *name;
    std::optional<std::string> CommandLine::*field;
};

const TextFlag text_flags[] = {
    {"agent-id", &CommandLine::agent_id},
    {"agent-group", &CommandLine::agent_group},
    {"config", &CommandLine::config_path},
    {"etcd-endpoint", &CommandLine::etcd_endpoint},
    {"filepath", &CommandLine::filepath},
    {"http-address", &CommandLine::http_address},
    {"http-admin-token-file", &CommandLine::http_admin_token_file},
    {"influxdb-addr", &CommandLine::influxdb_addr},
    {"input", &CommandLine::input},
    {"filter", &CommandLine::filter},
    {"output", &CommandLine::output},
    {"f", &CommandLine::config_json},
    {"plugins-dir", &CommandLine::plugins_dir},
    {"data-dir", &CommandLine::data_dir},
    {"log-level", &CommandLine::log_level},
    {"describe", &CommandLine::describe},
};

struct IntegerFlag {
    const char *name;
    std::optional<int64_t> CommandLine::*field;
};

const IntegerFlag integer_flags[] = {
    {"max-read-channel-size", &CommandLine::max_read_channel_size},
    {"max-write-bulk-size", &CommandLine::max_write_bulk_size},
    {"max-write-channel-size", &CommandLine::max_write_channel_size},
};

} // namespace

TEST_CASE("every string flag parses in all four Go styles", "[options]") {
    for (const auto &flag : text_flags) {
        for (const auto &args : styles(flag.name, "some/value:1")) {
            INFO("arguments: " << args.front() << (args.size() > 1 ? " " + args[1] : ""));
            CommandLine cl = parse(args);
            REQUIRE((cl.*flag.field).has_value());
            CHECK(*(cl.*flag.field) == "some/value:1");
        }
    }
}

TEST_CASE("every size flag parses in all four Go styles", "[options]") {
    for (const auto &flag : integer_flags) {
        for (const auto &args : styles(flag.name, "1000")) {
            INFO("arguments: " << args.front());
            CommandLine cl = parse(args);
            REQUIRE((cl.*flag.field).has_value());
            CHECK(*(cl.*flag.field) == 1000);
        }
    }
}

TEST_CASE("size flags accept the ends of their ranges", "[options]") {
    CHECK(*parse({"-max-read-channel-size=1"}).max_read_channel_size == 1);
    CHECK(*parse({"-max-read-channel-size=1048576"}).max_read_channel_size == 1048576);
    CHECK(*parse({"-max-write-channel-size=1048576"}).max_write_channel_size == 1048576);
    CHECK(*parse({"-max-write-bulk-size=65536"}).max_write_bulk_size == 65536);
}

TEST_CASE("boolean flags stand alone and accept Go's true/false values", "[options]") {
    CHECK(parse({"-version"}).version);
    CHECK(parse({"--version"}).version);
    CHECK(parse({"-check"}).check);
    CHECK(parse({"--check"}).check);
    CHECK(parse({"-check=true"}).check);
    CHECK(parse({"-check=1"}).check);
    CHECK_FALSE(parse({"-check=false"}).check);
    CHECK_FALSE(parse({"-check", "-check=false"}).check);
    CHECK(parse({"-list-plugins"}).list_plugins);
    CHECK(parse({"--list-plugins"}).list_plugins);
    CHECK(parse({"-h"}).help);
    CHECK(parse({"-help"}).help);
    CHECK(parse({"--help"}).help);
}

TEST_CASE("a boolean flag does not swallow the flag after it", "[options]") {
    CommandLine cl = parse({"-check", "-input", "stdin", "-version"});
    CHECK(cl.check);
    CHECK(cl.version);
    CHECK(cl.input == "stdin");
}

TEST_CASE("-f is the long option f, not a short option", "[options]") {
    const std::string json = R"({"inputs": [{"plugin": "stdin"}], "log_level": "debug"})";
    CHECK(parse({"-f", json}).config_json == json);
    CHECK(parse({"-f=" + json}).config_json == json);
    CHECK(parse({"--f", json}).config_json == json);
    // -f is not a prefix of -filter or -filepath.
    CommandLine cl = parse({"-f", "{}", "-filter=valid", "-filepath=/x"});
    CHECK(cl.config_json == "{}");
    CHECK(cl.filter == "valid");
    CHECK(cl.filepath == "/x");
}

TEST_CASE("absent flags stay unset so that the config file can supply them", "[options]") {
    CommandLine cl = parse({});
    for (const auto &flag : text_flags) {
        INFO(flag.name);
        CHECK_FALSE((cl.*flag.field).has_value());
    }
    for (const auto &flag : integer_flags) {
        INFO(flag.name);
        CHECK_FALSE((cl.*flag.field).has_value());
    }
    CHECK_FALSE(cl.help);
    CHECK_FALSE(cl.version);
    CHECK_FALSE(cl.list_plugins);
    CHECK_FALSE(cl.check);

    // One flag given, the others untouched.
    CommandLine one = parse({"-output=logr"});
    CHECK(one.output == "logr");
    CHECK_FALSE(one.input.has_value());
    CHECK_FALSE(one.filter.has_value());
    CHECK_FALSE(one.max_write_bulk_size.has_value());
}

TEST_CASE("empty values are kept: -filter= means no filters", "[options]") {
    CHECK(parse({"-filter="}).filter == "");
    CHECK(parse({"--filter="}).filter == "");
    CHECK(parse({"-filter", ""}).filter == "");
    CHECK(parse({"-influxdb-addr="}).influxdb_addr == "");
}

TEST_CASE("values may contain '=' and commas", "[options]") {
    CHECK(parse({"-output=stdout,logr"}).output == "stdout,logr");
    CHECK(parse({"-filepath=/tmp/a=b.log"}).filepath == "/tmp/a=b.log");
}

TEST_CASE("a repeated flag keeps its last value, as Go does", "[options]") {
    CHECK(parse({"-input=a", "-input", "b"}).input == "b");
    CHECK(*parse({"-max-write-bulk-size=5", "-max-write-bulk-size=7"}).max_write_bulk_size == 7);
}

TEST_CASE("an unknown flag is named, with the nearest known flag", "[options]") {
    std::string msg = usage_error({"-inptu=file"});
    CHECK_THAT(msg, Catch::Contains("unknown flag -inptu"));
    CHECK_THAT(msg, Catch::Contains("did you mean -input?"));

    msg = usage_error({"--outptu", "stdout"});
    CHECK_THAT(msg, Catch::Contains("unknown flag -outptu"));
    CHECK_THAT(msg, Catch::Contains("did you mean -output?"));

    msg = usage_error({"-max-read-chanel-size=5"});
    CHECK_THAT(msg, Catch::Contains("did you mean -max-read-channel-size?"));

    msg = usage_error({"-zzzzzzzzzzzzzzzz"});
    CHECK_THAT(msg, Catch::Contains("unknown flag -zzzzzzzzzzzzzzzz"));
    CHECK_THAT(msg, !Catch::Contains("did you mean"));
}

TEST_CASE("prefixes of flags are not guessed", "[options]") {
    CHECK_THAT(usage_error({"-inp=stdin"}), Catch::Contains("unknown flag -inp"));
}

TEST_CASE("a flag without its value says what value it needs", "[options]") {
    std::string msg = usage_error({"-input"});
    CHECK_THAT(msg, Catch::StartsWith("-input: needs a value"));
    CHECK_THAT(msg, Catch::Contains("name:tag"));

    msg = usage_error({"--max-write-bulk-size"});
    CHECK_THAT(msg, Catch::StartsWith("-max-write-bulk-size: needs a value"));

    CHECK_THAT(usage_error({"-check", "-config"}), Catch::StartsWith("-config: needs a value"));
}

TEST_CASE("size flags refuse non-integers and out-of-range values", "[options]") {
    std::string msg = usage_error({"-max-read-channel-size=abc"});
    CHECK_THAT(msg, Catch::StartsWith("-max-read-channel-size: \"abc\" is not a whole number"));
    CHECK_THAT(msg, Catch::Contains("from 1 to 1048576"));

    CHECK_THAT(usage_error({"-max-read-channel-size=12.5"}),
               Catch::Contains("is not a whole number"));
    CHECK_THAT(usage_error({"-max-read-channel-size=4K"}),
               Catch::Contains("is not a whole number"));
    CHECK_THAT(usage_error({"-max-read-channel-size="}), Catch::Contains("is not a whole number"));

    msg = usage_error({"-max-read-channel-size=0"});
    CHECK_THAT(msg, Catch::StartsWith("-max-read-channel-size: 0 is out of range"));
    CHECK_THAT(msg, Catch::Contains("from 1 to 1048576"));

    CHECK_THAT(usage_error({"-max-write-channel-size", "1048577"}),
               Catch::StartsWith("-max-write-channel-size: 1048577 is out of range"));
    CHECK_THAT(usage_error({"-max-write-channel-size=-5"}),
               Catch::StartsWith("-max-write-channel-size: -5 is out of range"));
    CHECK_THAT(usage_error({"-max-write-bulk-size=65537"}), Catch::Contains("from 1 to 65536"));
    CHECK_THAT(usage_error({"-max-write-bulk-size=99999999999999999999999"}),
               Catch::Contains("is out of range"));
}

TEST_CASE("a boolean flag refuses a value that is not a boolean", "[options]") {
    std::string msg = usage_error({"-check=maybe"});
    CHECK_THAT(msg, Catch::StartsWith("-check: \"maybe\" is not a boolean"));
    CHECK_THAT(msg, Catch::Contains("-check=false"));
    CHECK_THAT(usage_error({"-version="}), Catch::StartsWith("-version: \"\" is not a boolean"));
}

TEST_CASE("positional arguments are refused", "[options]") {
    std::string msg = usage_error({"-input=stdin", "extra"});
    CHECK_THAT(msg, Catch::StartsWith("unexpected argument \"extra\""));
    CHECK_THAT(msg, Catch::Contains("flags only"));
    CHECK_THAT(usage_error({"--", "x"}), Catch::StartsWith("unexpected argument \"x\""));
    CHECK_THAT(usage_error({"-"}), Catch::StartsWith("unexpected argument \"-\""));
}

TEST_CASE("the usage text lists every flag with the original agent's defaults", "[options]") {
    std::string usage = mafio::usage_text();
    for (const auto &flag : text_flags) {
        std::string name = flag.name;
        if (name == "agent-id" || name == "agent-group") continue; // with an alias, below
        CHECK_THAT(usage, Catch::Contains("-" + name + " string"));
    }
    CHECK_THAT(usage, Catch::Contains("-agent-id, -m-id string"));
    CHECK_THAT(usage, Catch::Contains("-agent-group, -m-group string"));
    for (const auto &flag : integer_flags)
        CHECK_THAT(usage, Catch::Contains(std::string("-") + flag.name + " int"));
    for (const char *flag : {"-version", "-list-plugins", "-check", "-h"})
        CHECK_THAT(usage, Catch::Contains(flag));
    for (const char *def :
         {"(default \"sky01\")", "(default \"net01\")", "(default \"0.0.0.0:2379\")",
          "(default \"0.0.0.0:10630\")", "(default 4096)", "(default 500)", "(default \"stdin\")",
          "(default \"valid\")", "(default \"stdout\")", "(default \"info\")"})
        CHECK_THAT(usage, Catch::Contains(def));
}

TEST_CASE("the usage text names the config-only keys and shows three examples", "[options]") {
    std::string usage = mafio::usage_text();
    for (const char *key : {"shutdown_grace", "checkpoint_interval", "influxdb.interval",
                            "health.output_failing_after", "retry_initial", "retry_max",
                            "-describe NAME", "docs/configuration.md", "${NAME:-default}"})
        CHECK_THAT(usage, Catch::Contains(key));
    size_t examples = usage.find("Examples:");
    REQUIRE(examples != std::string::npos);
    size_t commands = 0;
    for (size_t at = usage.find("      mafio -", examples); at != std::string::npos;
         at = usage.find("      mafio -", at + 1))
        ++commands;
    CHECK(commands == 3);
}

TEST_CASE("-m-id and -m-group are the original agent's spellings of -agent-id/-agent-group",
          "[options]") {
    CHECK(parse({"-m-id=edge1"}).agent_id == "edge1");
    CHECK(parse({"--m-group", "grp"}).agent_group == "grp");
    // One field, so the last of the two spellings wins as for any repeated flag.
    CHECK(parse({"-agent-id=a", "-m-id=b"}).agent_id == "b");
}

TEST_CASE("-config given twice is an error, not last-wins", "[options]") {
    std::string msg = usage_error({"-config=a.json", "--config", "b.conf"});
    CHECK_THAT(msg, Catch::StartsWith("-config: given twice (\"a.json\", then \"b.conf\")"));
    CHECK_THAT(msg, Catch::Contains("-f"));
    CHECK(parse({"-config=a.json", "-f={}"}).config_path == "a.json");
}

TEST_CASE("-q goes with -version only", "[options]") {
    CHECK(parse({"-version", "-q"}).quiet);
    CHECK(parse({"-q", "-version"}).quiet);
    CHECK_THAT(usage_error({"-q"}), Catch::StartsWith("-q: only means something with -version"));
}
