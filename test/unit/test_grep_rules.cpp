// grep:V1's rules (plugins/grep/V1/grep_rules.hpp): whole-record and field rules, ANDed lists,
// nested keys, non-JSON records, and option errors with their exact paths.
#include "grep_rules.hpp"

#include <catch2/catch.hpp>

#include <rapidjson/document.h>

#include <string>

using grep_v1::GrepRules;

namespace {

GrepRules rules(const char *regex_json, const char *exclude_json = nullptr) {
    GrepRules r;
    rapidjson::Document d;
    if (regex_json) {
        d.Parse(regex_json);
        r.add_option(d, "filters[0].regex", false);
    }
    if (exclude_json) {
        d.Parse(exclude_json);
        r.add_option(d, "filters[0].exclude", true);
    }
    return r;
}

std::string refusal(const char *regex_json) {
    try {
        rules(regex_json);
    } catch (const std::invalid_argument &e) {
        return e.what();
    }
    return "accepted";
}

} // namespace

TEST_CASE("grep: a string rule is a regex on the whole record") {
    GrepRules r = rules("\"\\\" 5\\\\d\\\\d \"");
    CHECK(r.keep("1.2.3.4 - - [x] \"GET / HTTP/1.1\" 503 0"));
    CHECK_FALSE(r.keep("1.2.3.4 - - [x] \"GET / HTTP/1.1\" 200 0"));
    CHECK_FALSE(r.keep(""));
}

TEST_CASE("grep: field rules on JSON records, nested keys, typed values") {
    GrepRules r = rules("[{\"key\":\"status\",\"regex\":\"^5\"},"
                        "{\"key\":\"req.user.name\",\"regex\":\"^(ann|bob)$\"}]");
    CHECK(r.keep("{\"status\":503,\"req\":{\"user\":{\"name\":\"bob\"}}}"));
    CHECK(r.keep("{\"status\":\"500\",\"req\":{\"user\":{\"name\":\"ann\"}}}"));
    CHECK_FALSE(r.keep("{\"status\":200,\"req\":{\"user\":{\"name\":\"bob\"}}}")); // AND
    CHECK_FALSE(r.keep("{\"status\":503,\"req\":{\"user\":{\"name\":\"carl\"}}}"));
    CHECK_FALSE(r.keep("{\"status\":503,\"req\":{\"user\":\"bob\"}}")); // not an object
    CHECK_FALSE(r.keep("{\"status\":503}"));                            // missing key
    CHECK_FALSE(r.keep("status=503 name=bob"));                         // not JSON
    CHECK_FALSE(r.keep("[503]"));                                       // not an object

    GrepRules u = rules("{\"key\":\"msg\",\"regex\":\"^caf\\u00e9\\n$\"}");
    CHECK(u.keep("{\"msg\":\"caf\\u00e9\\n\"}")); // the unescaped text is matched
    GrepRules b = rules("{\"key\":\"ok\",\"regex\":\"^true$\"}");
    CHECK(b.keep("{\"ok\":true}"));
    CHECK_FALSE(b.keep("{\"ok\":false}"));
    GrepRules o = rules("{\"key\":\"o\",\"regex\":\"^\\\\{\\\"a\\\":1\\\\}$\"}");
    CHECK(o.keep("{\"o\": { \"a\" : 1 }}"));
}

TEST_CASE("grep: exclude drops records matching all its rules; both lists together") {
    GrepRules r = rules(nullptr, "[\"health\", {\"key\":\"status\",\"regex\":\"^2\"}]");
    CHECK_FALSE(r.keep("{\"path\":\"/health\",\"status\":200}"));
    CHECK(r.keep("{\"path\":\"/health\",\"status\":500}"));
    CHECK(r.keep("{\"path\":\"/api\",\"status\":200}"));
    CHECK(r.keep("GET /health 200")); // not JSON: the key rule does not match, so not all do

    GrepRules both = rules("\"GET\"", "\"/static/\"");
    CHECK(both.keep("GET /api"));
    CHECK_FALSE(both.keep("GET /static/app.js"));
    CHECK_FALSE(both.keep("POST /api"));
}

TEST_CASE("grep: bad rules are refused with the exact path") {
    CHECK(refusal("\"(x\"").rfind("filters[0].regex: invalid regular expression at offset 2", 0) ==
          0);
    CHECK(refusal("[\"a\", {\"key\":\"s\",\"regex\":\"[\"}]")
              .rfind("filters[0].regex[1].regex: invalid regular expression", 0) == 0);
    CHECK(refusal("[\"a\", {\"regex\":\"x\"}]").rfind("filters[0].regex[1].key: required", 0) == 0);
    CHECK(refusal("{\"key\":\"s\"}").rfind("filters[0].regex.regex: required", 0) == 0);
    CHECK(refusal("{\"key\":\"s\",\"regexp\":\"x\"}")
              .rfind("filters[0].regex.regexp: unknown rule member", 0) == 0);
    CHECK(refusal("{\"key\":1,\"regex\":\"x\"}") == "filters[0].regex.key: expected a string");
    CHECK(refusal("[]") == "filters[0].regex: expected at least one rule");
    CHECK(refusal("[1]").rfind("filters[0].regex[0]: expected a regex string", 0) == 0);
}
