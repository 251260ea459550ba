#include "config/parse_json.hpp"

#include "config/json_errors.hpp"
#include "config/load_config.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

namespace mafio {

namespace {

constexpr unsigned parse_flags =
    rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;

// Forwards SAX events to the document while counting open arrays and objects; returning
// false at depth max_json_depth + 1 stops the parse before the document grows any deeper.
struct DepthLimitedBuilder {
    rapidjson::Document &doc;
    size_t depth = 0;
    bool too_deep = false;

    bool open() {
        if (++depth > max_json_depth) too_deep = true;
        return !too_deep;
    }

    bool Null() { return doc.Null(); }
    bool Bool(bool b) { return doc.Bool(b); }
    bool Int(int i) { return doc.Int(i); }
    bool Uint(unsigned u) { return doc.Uint(u); }
    bool Int64(int64_t i) { return doc.Int64(i); }
    bool Uint64(uint64_t u) { return doc.Uint64(u); }
    bool Double(double d) { return doc.Double(d); }
    bool RawNumber(const char *s, rapidjson::SizeType n, bool copy) {
        return doc.RawNumber(s, n, copy);
    }
    bool String(const char *s, rapidjson::SizeType n, bool copy) { return doc.String(s, n, copy); }
    bool Key(const char *s, rapidjson::SizeType n, bool copy) { return doc.Key(s, n, copy); }
    bool StartObject() { return open() && doc.StartObject(); }
    bool EndObject(rapidjson::SizeType n) {
        --depth;
        return doc.EndObject(n);
    }
    bool StartArray() { return open() && doc.StartArray(); }
    bool EndArray(rapidjson::SizeType n) {
        --depth;
        return doc.EndArray(n);
    }
};

bool only_whitespace(std::string_view s) {
    return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

} // namespace

rapidjson::Document parse_json(std::string_view text, const std::string &source) {
    const std::string example = R"({"inputs": [{"plugin": "stdin"}]})";
    if (only_whitespace(text))
        throw ConfigError(source + ": the document is empty" +
                          (text.empty() ? std::string(" (0 bytes)") : std::string()) +
                          "; expected a JSON object such as " + example);

    // rapidjson reads '\0' as the end of the text, so a NUL would silently cut the document.
    if (size_t nul = text.find('\0'); nul != std::string_view::npos)
        throw ConfigError(
            located_message(source, text, nul, "NUL byte; a configuration is UTF-8 JSON text"));

    size_t skipped = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0; // UTF-8 byte-order mark
    rapidjson::MemoryStream stream(text.data() + skipped, text.size() - skipped);
    rapidjson::Reader reader;
    rapidjson::Document doc;
    bool too_deep = false;
    auto generate = [&](rapidjson::Document &target) {
        DepthLimitedBuilder builder{target};
        bool ok = reader.Parse<parse_flags>(stream, builder);
        too_deep = builder.too_deep;
        return ok;
    };
    doc.Populate(generate);

    if (reader.HasParseError()) {
        size_t offset = skipped + reader.GetErrorOffset();
        if (too_deep) {
            // The offset is that of the bracket that went one level too deep.
            throw ConfigError(located_message(source, text, offset,
                                              "nesting deeper than " +
                                                  std::to_string(max_json_depth) +
                                                  " levels; a configuration needs only a few"));
        }
        throw ConfigError(located_message(source, text, offset,
                                          rapidjson::GetParseError_En(reader.GetParseErrorCode())));
    }
    return doc;
}

} // namespace mafio
