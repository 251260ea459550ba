// -describe's view of a plugin's options schema (the JSON Schema its descriptor carries): one
// entry per option with whether it is required, its type in the words an operator configures
// it with (a size, a duration, one of a list), its default and description, and a config
// snippet to start from.
//
// Sizes and durations are what the SDK's Options::size/duration accept; a plugin's schema marks
// them with "format": "size" / "duration", or, as the SDK's own plugins do, by the type pairs
// ["integer","string"] (a size) and ["number","string"] (a duration).
#pragma once

#include <string>
#include <vector>

namespace mafio {

struct OptionDoc {
    std::string name;
    bool required = false;
    std::string type;         // "string", "size", "duration", "one of \"head\", \"tail\"", ...
    std::string default_json; // the default as JSON text, or ""
    std::string description;
    std::string example_json; // a value for the config snippet
};

// Throws std::invalid_argument when the schema is not a JSON object or its "properties" is not
// an object. No "properties": no options.
std::vector<OptionDoc> option_docs(const std::string &schema_json);

// The "options:" block of -describe (never empty: says when none are declared).
std::string options_text(const std::vector<OptionDoc> &options);

// {"<kind>s": [{"plugin": "<ref>", <required options with example values>}]}, indented.
std::string config_snippet(const std::string &kind, const std::string &ref,
                           const std::vector<OptionDoc> &options);

} // namespace mafio
