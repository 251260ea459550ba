#include "config/parse_json.hpp"

#include "config/env_substitution.hpp"
#include "config/json_errors.hpp"
#include "config/load_config.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <limits>
#include <optional>
#include <vector>

namespace mafio {

namespace {

// Comments (// and /* */) and trailing commas are accepted: a configuration is edited by hand,
// and a commented-out entry or a left-over comma is not a mistake worth refusing a start for.
constexpr unsigned parse_flags =
    rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag |
    rapidjson::kParseCommentsFlag | rapidjson::kParseTrailingCommasFlag;

// Where the parser is in the document, for messages about a value: one frame per open array or
// object, holding the current key or element index.
class JsonPath {
public:
    void open(bool array) { frames_.push_back({array, 0, {}}); }
    void close() { frames_.pop_back(); }
    void key(const char *s, rapidjson::SizeType n) { frames_.back().key.assign(s, n); }
    // Called as every value starts, so that an array's frame knows which element it is in.
    void value() {
        if (!frames_.empty() && frames_.back().array) frames_.back().index = frames_.back().count++;
    }
    std::string text() const {
        std::string out;
        for (const auto &f : frames_) {
            if (f.array)
                out += "[" + std::to_string(f.index) + "]";
            else
                out += (out.empty() ? "" : ".") + f.key;
        }
        return out;
    }

private:
    struct Frame {
        bool array;
        size_t count;
        std::string key;
        size_t index = 0;
    };
    std::vector<Frame> frames_;
};

// Forwards SAX events to the document while counting open arrays and objects (returning false
// at depth max_json_depth + 1 stops the parse before the document grows any deeper) and
// substituting ${NAME} in string values (not in keys).
struct ConfigBuilder {
    explicit ConfigBuilder(rapidjson::Document &target) : doc(target) {}

    rapidjson::Document &doc;
    size_t depth = 0;
    bool too_deep = false;
    JsonPath path;
    std::optional<SubstitutionError> substitution_error;
    std::string substitution_path;

    bool open(bool array) {
        path.value();
        if (++depth > max_json_depth) too_deep = true;
        path.open(array);
        return !too_deep;
    }
    bool close() {
        --depth;
        path.close();
        return true;
    }

    bool Null() { return path.value(), doc.Null(); }
    bool Bool(bool b) { return path.value(), doc.Bool(b); }
    bool Int(int i) { return path.value(), doc.Int(i); }
    bool Uint(unsigned u) { return path.value(), doc.Uint(u); }
    bool Int64(int64_t i) { return path.value(), doc.Int64(i); }
    bool Uint64(uint64_t u) { return path.value(), doc.Uint64(u); }
    bool Double(double d) { return path.value(), doc.Double(d); }
    bool RawNumber(const char *s, rapidjson::SizeType n, bool copy) {
        return path.value(), doc.RawNumber(s, n, copy);
    }
    bool String(const char *s, rapidjson::SizeType n, bool copy) {
        path.value();
        std::string_view value(s, n);
        if (!has_substitution(value)) return doc.String(s, n, copy);
        Substituted sub = substitute_env(value, process_env);
        if (sub.error) {
            substitution_error = std::move(sub.error);
            substitution_path = path.text();
            return false;
        }
        if (sub.text.size() > std::numeric_limits<rapidjson::SizeType>::max()) return false;
        return doc.String(sub.text.data(), static_cast<rapidjson::SizeType>(sub.text.size()), true);
    }
    bool Key(const char *s, rapidjson::SizeType n, bool copy) {
        path.key(s, n);
        return doc.Key(s, n, copy);
    }
    bool StartObject() { return open(false) && doc.StartObject(); }
    bool EndObject(rapidjson::SizeType n) { return close() && doc.EndObject(n); }
    bool StartArray() { return open(true) && doc.StartArray(); }
    bool EndArray(rapidjson::SizeType n) { return close() && doc.EndArray(n); }
};

// The offset, in `body`, of the opening quote of the string whose closing quote is at `close`:
// the nearest '"' before it that is not escaped (preceded by an even number of backslashes).
size_t opening_quote(std::string_view body, size_t close) {
    for (size_t i = close; i-- > 0;) {
        if (body[i] != '"') continue;
        size_t backslashes = 0;
        while (backslashes < i && body[i - 1 - backslashes] == '\\')
            ++backslashes;
        if (backslashes % 2 == 0) return i;
    }
    return 0;
}

// Where, in `body`, a substitution error at `offset` of a decoded string value lies. The string
// ends just before `end` (the parser's offset when the handler stopped it). Without escapes the
// raw text is the decoded text and the "${" itself is pointed at; otherwise the string's start.
size_t substitution_offset(std::string_view body, size_t end, size_t offset) {
    if (end == 0 || end > body.size()) return end;
    size_t close = end - 1;
    size_t open = opening_quote(body, close);
    std::string_view raw = body.substr(open + 1, close - open - 1);
    if (raw.find('\\') == std::string_view::npos && offset <= raw.size()) return open + 1 + offset;
    return open;
}

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
    std::optional<SubstitutionError> substitution_error;
    std::string substitution_path;
    auto generate = [&](rapidjson::Document &target) {
        ConfigBuilder builder{target};
        bool ok = reader.Parse<parse_flags>(stream, builder);
        too_deep = builder.too_deep;
        substitution_error = std::move(builder.substitution_error);
        substitution_path = std::move(builder.substitution_path);
        return ok;
    };
    doc.Populate(generate);

    if (reader.HasParseError()) {
        size_t offset = skipped + reader.GetErrorOffset();
        if (substitution_error) {
            std::string_view body = text.substr(skipped);
            size_t at = skipped + substitution_offset(body, reader.GetErrorOffset(),
                                                      substitution_error->offset);
            throw ConfigError(located_message(
                source, text, at,
                (substitution_path.empty() ? std::string() : substitution_path + ": ") +
                    substitution_error->message));
        }
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
