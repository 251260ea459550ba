// -describe's reading of an options schema (schema_text.hpp).
#include "plugin/schema_text.hpp"

#include <catch2/catch.hpp>

#include <rapidjson/document.h>

using namespace mafio;

namespace {
const char *kSchema = R"({"type":"object","required":["path","mode"],"properties":{
  "path":{"type":"string","description":"the file"},
  "mode":{"enum":["fast","safe"],"description":"how"},
  "max_size":{"type":["integer","string"],"default":"100MiB"},
  "interval":{"type":["number","string"],"default":"250ms"},
  "chunk":{"type":"string","format":"size"},
  "count":{"type":"integer","minimum":0,"maximum":9,"default":5},
  "flag":{"type":"boolean","default":false},
  "paths":{"type":["string","array"],"items":{"type":"string"}}}})";

const OptionDoc &named(const std::vector<OptionDoc> &docs, const std::string &name) {
    for (const auto &d : docs)
        if (d.name == name) return d;
    FAIL("no option " << name);
    throw;
}
} // namespace

TEST_CASE("schema text: required, sizes, durations, enums and ranges") {
    auto docs = option_docs(kSchema);
    REQUIRE(docs.size() == 8);
    CHECK(named(docs, "path").required);
    CHECK(named(docs, "mode").required);
    CHECK_FALSE(named(docs, "max_size").required);
    CHECK(named(docs, "mode").type == R"(one of "fast", "safe")");
    CHECK(named(docs, "max_size").type == "size");
    CHECK(named(docs, "max_size").default_json == R"("100MiB")");
    CHECK(named(docs, "interval").type == "duration");
    CHECK(named(docs, "chunk").type == "size");
    CHECK(named(docs, "count").type == "integer from 0 to 9");
    CHECK(named(docs, "flag").type == "true or false");
    CHECK(named(docs, "paths").type == "string or a list of strings");
}

TEST_CASE("schema text: the options block and its notes") {
    auto text = options_text(option_docs(kSchema));
    CHECK_THAT(text, Catch::Contains("  path                string; required\n"));
    CHECK_THAT(text, Catch::Contains("the file"));
    CHECK_THAT(text, Catch::Contains("  max_size            size; default \"100MiB\""));
    CHECK_THAT(text, Catch::Contains("a size is a number of bytes"));
    CHECK_THAT(text, Catch::Contains("a duration is a number of seconds"));
    CHECK(options_text({}) == "options: none\n");
}

TEST_CASE("schema text: the snippet is JSON with the required options only") {
    auto snippet = config_snippet("output", "x:V1", option_docs(kSchema));
    rapidjson::Document d;
    d.Parse(snippet.c_str());
    REQUIRE_FALSE(d.HasParseError());
    const auto &o = d["outputs"][0];
    CHECK(std::string(o["plugin"].GetString()) == "x:V1");
    CHECK(std::string(o["mode"].GetString()) == "fast");
    CHECK(o["path"].IsString());
    CHECK_FALSE(o.HasMember("max_size"));
}

TEST_CASE("schema text: no properties is no options; a broken schema is said") {
    CHECK(option_docs(R"({"type":"object","additionalProperties":false})").empty());
    CHECK_THROWS_AS(option_docs("not json"), std::invalid_argument);
    CHECK_THROWS_AS(option_docs(R"({"properties":[]})"), std::invalid_argument);
}
