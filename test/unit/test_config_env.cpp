// Config ergonomics: ${NAME} / ${NAME:-default} from the environment in string values (with the
// escape $${), comments and trailing commas in JSON configuration documents.
#include "config/env_substitution.hpp"
#include "config/load_config.hpp"

#include <catch2/catch.hpp>

#include "config_error.hpp"

#include "temp_dir.hpp"

#include <cstdlib>
#include <map>
#include <string>

using Catch::Contains;
using Catch::StartsWith;
using mafio::AgentConfig;
using mafio::CommandLine;
using mafio::ConfigError;
using mafio::load_config;
using mafio::substitute_env;
using mafio::test::config_error;
using mafio::test::TempDir;

namespace {

const std::map<std::string, std::string> env = {{"HOME_DIR", "/home/a"}, {"EMPTY", ""}};

std::optional<std::string> lookup(const std::string &name) {
    auto it = env.find(name);
    if (it == env.end()) return std::nullopt;
    return it->second;
}

std::string sub(std::string_view in) {
    mafio::Substituted s = substitute_env(in, lookup);
    if (s.error) FAIL("unexpected error: " << s.error->message);
    return s.text;
}

mafio::SubstitutionError sub_error(std::string_view in) {
    mafio::Substituted s = substitute_env(in, lookup);
    REQUIRE(s.error);
    return *s.error;
}

// Sets an environment variable for the life of the object.
struct ScopedEnv {
    std::string name;
    ScopedEnv(const char *n, const char *value) : name(n) { ::setenv(n, value, 1); }
    ~ScopedEnv() { ::unsetenv(name.c_str()); }
};

} // namespace

TEST_CASE("substitution: set, unset with default, empty, escapes", "[config][env]") {
    CHECK(sub("${HOME_DIR}/app.log") == "/home/a/app.log");
    CHECK(sub("a${HOME_DIR}b${HOME_DIR}c") == "a/home/ab/home/ac");
    CHECK(sub("${NOPE:-/var/log}") == "/var/log");
    CHECK(sub("${EMPTY:-fallback}") == "fallback"); // as the shell: empty counts as unset
    CHECK(sub("${HOME_DIR:-unused}") == "/home/a");
    CHECK(sub("${EMPTY}") == "");
    CHECK(sub("${NOPE:-}") == "");
    CHECK(sub("${NOPE:-a:-b}") == "a:-b"); // the default is literal up to the first '}'
    CHECK(sub("$${HOME_DIR}") == "${HOME_DIR}");
    CHECK(sub("$$${HOME_DIR}") == "$${HOME_DIR}");
    CHECK(sub("cost: 5$, $HOME_DIR, $") == "cost: 5$, $HOME_DIR, $"); // lone '$' is itself
    CHECK(sub("no substitution") == "no substitution");
}

TEST_CASE("substitution errors name the variable and the position", "[config][env]") {
    auto e = sub_error("/x/${LOG_DIR}/y");
    CHECK(e.offset == 3);
    CHECK_THAT(e.message, StartsWith("environment variable LOG_DIR is not set"));
    CHECK_THAT(e.message, Contains("${LOG_DIR:-value}"));
    CHECK_THAT(e.message, Contains("$${"));

    CHECK_THAT(sub_error("${HOME_DIR").message, StartsWith("unterminated"));
    CHECK_THAT(sub_error("${}").message, StartsWith("bad substitution \"${}\""));
    CHECK_THAT(sub_error("${1X}").message, StartsWith("bad substitution"));
    CHECK_THAT(sub_error("${A-b}").message, StartsWith("bad substitution"));
    CHECK_THAT(sub_error("${A B}").message, StartsWith("bad substitution"));
    CHECK(sub_error("ok ${HOME_DIR} then ${BAD").offset == 20);
}

TEST_CASE("string values of a config file are substituted, plugin options included",
          "[config][env]") {
    ScopedEnv dir("MAFIO_TEST_LOG_DIR", "/srv/logs");
    ScopedEnv id("MAFIO_TEST_AGENT", "edge7");
    CommandLine cl;
    cl.config_json = R"({
        "agent": {"id": "${MAFIO_TEST_AGENT}", "group": "${MAFIO_TEST_UNSET:-grp}"},
        "channels": {"read_size": "${MAFIO_TEST_UNSET:-128}"},
        "outputs": [{"plugin": "logr", "path": "${MAFIO_TEST_LOG_DIR}/out.log",
                     "nested": ["$${literal}"]}]
    })";
    AgentConfig cfg = load_config(cl);
    CHECK(cfg.agent_id == "edge7");
    CHECK(cfg.agent_group == "grp");
    CHECK(cfg.read_channel_size == 128); // a string, read as a size
    CHECK(cfg.outputs[0].options_json == R"({"path":"/srv/logs/out.log","nested":["${literal}"]})");
}

TEST_CASE("keys are not substituted", "[config][env]") {
    CommandLine cl;
    cl.config_json = R"({"outputs": [{"plugin": "stdout", "${X}": 1}]})";
    CHECK(load_config(cl).outputs[0].options_json == R"({"${X}":1})");
}

TEST_CASE("an unset variable names file:line:col, the JSON path and the variable",
          "[config][env]") {
    ::unsetenv("MAFIO_TEST_NOT_SET");
    TempDir dir;
    CommandLine cl;
    cl.config_path = dir.write("env.json", "{\n  \"outputs\": [{\"plugin\": \"stdout\"},\n"
                                           "    {\"plugin\": \"logr\", \"path\": "
                                           "\"/x/${MAFIO_TEST_NOT_SET}/y.log\"}]\n}");
    CHECK(config_error(cl) ==
          *cl.config_path +
              ":3:36: outputs[1].path: environment variable MAFIO_TEST_NOT_SET is not set; set "
              "it, give a default as ${MAFIO_TEST_NOT_SET:-value}, or write $${ for a literal ${");

    // With an escape in the raw string, the position is the string's opening quote.
    cl.config_path = dir.write("esc.json", "{\"data_dir\": \"\\t${MAFIO_TEST_NOT_SET}\"}");
    CHECK_THAT(config_error(cl),
               StartsWith(*cl.config_path + ":1:14: data_dir: environment variable"));

    cl.config_path.reset();
    cl.config_json = R"({"agent": {"id": "${MAFIO_TEST_NOT_SET}"}})";
    CHECK_THAT(config_error(cl), StartsWith("-f:1:19: agent.id: environment variable "
                                            "MAFIO_TEST_NOT_SET is not set"));
}

TEST_CASE("comments and trailing commas are accepted in config files", "[config]") {
    TempDir dir;
    CommandLine cl;
    cl.config_path = dir.write("commented.json", R"(// the agent on host a
{
  /* "log_level": "debug", */
  "log_level": "warn", // quieter
  "outputs": [
    {"plugin": "stdout"},
    // {"plugin": "logr", "path": "/tmp/x"},
  ],
})");
    AgentConfig cfg = load_config(cl);
    CHECK(cfg.log_level == "warn");
    REQUIRE(cfg.outputs.size() == 1);
    CHECK(cfg.outputs[0].plugin == "stdout");
}

TEST_CASE("substitution: per-record placeholders are left for plugins", "[config][env]") {
    CHECK(sub("${hostname} ${tag} ${component}") == "${hostname} ${tag} ${component}");
    CHECK(sub("${agent.id}/${agent.group}") == "${agent.id}/${agent.group}");
    CHECK(sub("${env:HOME_DIR} and ${HOME_DIR}") == "${env:HOME_DIR} and /home/a");
    CHECK(sub("$${tag} $${HOME_DIR}") == "$${tag} ${HOME_DIR}"); // the plugin unescapes $${tag}
    CHECK(sub_error("${agent.name}").message.find("bad substitution") != std::string::npos);
}
