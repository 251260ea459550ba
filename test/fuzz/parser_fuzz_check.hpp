// The properties every parser:V1 format and grep:V1 must keep on any input, shared by the
// libFuzzer targets (fuzz_parser_*.cpp, fuzz_grep.cpp) and the seeded Catch2 test that runs in
// every build (test/unit/test_parser_fuzz_seeded.cpp):
//   - parse() either fails leaving the output untouched, or appends exactly one JSON object
//     that a strict parser (UTF-8 validated, nothing after it) accepts;
//   - the same input gives the same answer again (no state leaks from one record to the next);
//   - grep gives the same answer twice.
// Returns nullptr, or what went wrong.
#pragma once

#include "grep_rules.hpp"
#include "parser_core.hpp"

#include <rapidjson/document.h>
#include <rapidjson/memorystream.h>

#include <string>
#include <string_view>

namespace parser_fuzz {

inline bool strict_json_object(std::string_view text) {
    if (text.find('\0') != std::string_view::npos) return false; // raw NUL is never JSON
    rapidjson::Document d;
    d.Parse<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseIterativeFlag>(text.data(),
                                                                                    text.size());
    return !d.HasParseError() && d.IsObject();
}

inline const char *check_parser(parser_v1::Parser &p, std::string_view input) {
    std::string out = "x";
    int64_t ts = 0;
    const bool ok = p.parse(input, out, ts);
    if (!ok) return out == "x" ? nullptr : "a failed parse changed the output";
    if (out.substr(0, 1) != "x") return "the output's prefix changed";
    const std::string_view json = std::string_view(out).substr(1);
    if (!strict_json_object(json)) return "the output is not one valid JSON object";
    std::string again;
    int64_t ts2 = 0;
    if (!p.parse(input, again, ts2) || again != json || ts2 != ts)
        return "the same input parsed differently the second time";
    return nullptr;
}

inline const char *check_grep(grep_v1::GrepRules &g, std::string_view input) {
    const bool keep = g.keep(input);
    return g.keep(input) == keep ? nullptr : "grep answered differently the second time";
}

inline parser_v1::Parser make(const char *format, const char *key = "") {
    parser_v1::Config c;
    c.format = format;
    c.key = key;
    if (c.format == "regex") c.regex = "^(?<a>\\w+)=(?<b>[^ ]*)(?: (?<rest>.*))?$";
    if (c.format == "json" || c.format == "logfmt") {
        c.types = {{"status", "int"}, {"rt", "float"}, {"ok", "bool"}, {"s", "string"}};
        c.time_key = "time";
        c.time_format = "%Y-%m-%dT%H:%M:%S%f%z";
        c.keep_original = "raw";
    }
    return parser_v1::Parser(c);
}

inline void add_grep_rules(grep_v1::GrepRules &g) {
    g.add(false, "", "^.");
    g.add(false, "a.b", "x|^1");
    g.add(true, "status", "^5");
}

} // namespace parser_fuzz
