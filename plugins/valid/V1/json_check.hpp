// Tells whether a record is exactly one JSON value, optionally surrounded by JSON whitespace.
// SAX parse with RapidJSON: nothing is built, only the grammar is checked.
#pragma once

#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <string_view>

namespace valid_v1 {

class JsonChecker {
public:
    bool is_single_value(std::string_view text) {
        // Records are not NUL-terminated, so a sized stream; it reads an embedded NUL as a NUL
        // byte, which JSON never allows raw, so such a record fails below.
        rapidjson::MemoryStream stream(text.data(), text.size());
        rapidjson::BaseReaderHandler<> ignore_values;
        // Iterative: a record of deeply nested brackets cannot overflow the stack.
        // Numbers as strings: only their syntax is checked, no conversion.
        // Stop when done: trailing bytes are checked here, so that "1 2" and "{} x" fail.
        constexpr unsigned kFlags = rapidjson::kParseIterativeFlag |
                                    rapidjson::kParseNumbersAsStringsFlag |
                                    rapidjson::kParseStopWhenDoneFlag;
        if (reader_.Parse<kFlags>(stream, ignore_values).IsError()) return false;
        for (size_t i = stream.Tell(); i < text.size(); ++i)
            if (!is_json_whitespace(text[i])) return false;
        return true;
    }

private:
    static bool is_json_whitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    rapidjson::Reader reader_; // kept so its parse stack is allocated once, not per record
};

} // namespace valid_v1
