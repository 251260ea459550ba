#include "plugin/schema_text.hpp"

#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <stdexcept>

namespace mafio {

namespace {

using Value = rapidjson::Value;

std::string to_json(const Value &v) {
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    v.Accept(w);
    return sb.GetString();
}

std::string text_of(const Value &obj, const char *key) {
    return obj.IsObject() && obj.HasMember(key) && obj[key].IsString() ? obj[key].GetString() : "";
}

// The "type" keyword as a list of names (it may be one string or an array).
std::vector<std::string> types_of(const Value &prop) {
    std::vector<std::string> out;
    if (!prop.HasMember("type")) return out;
    const Value &t = prop["type"];
    if (t.IsString()) out.emplace_back(t.GetString());
    if (t.IsArray())
        for (rapidjson::SizeType i = 0; i < t.Size(); ++i)
            if (t[i].IsString()) out.emplace_back(t[i].GetString());
    return out;
}

bool is_pair(const std::vector<std::string> &t, const char *a, const char *b) {
    return t.size() == 2 && ((t[0] == a && t[1] == b) || (t[0] == b && t[1] == a));
}

std::string one_type(const std::string &t, const Value &prop) {
    if (t == "boolean") return "true or false";
    if (t == "object") return "an object";
    if (t == "array") {
        std::string items = prop.HasMember("items") ? text_of(prop["items"], "type") : "";
        return items.empty() ? "a list" : "a list of " + items + "s";
    }
    return t;
}

std::string range_of(const Value &prop) {
    bool lo = prop.HasMember("minimum") && prop["minimum"].IsNumber();
    bool hi = prop.HasMember("maximum") && prop["maximum"].IsNumber();
    if (lo && hi) return " from " + to_json(prop["minimum"]) + " to " + to_json(prop["maximum"]);
    if (lo) return " of at least " + to_json(prop["minimum"]);
    if (hi) return " of at most " + to_json(prop["maximum"]);
    return "";
}

// The type in configuration words, and a value of it for the snippet.
void describe_type(const Value &prop, OptionDoc &doc) {
    const std::string format = text_of(prop, "format");
    const auto types = types_of(prop);
    if (prop.HasMember("enum") && prop["enum"].IsArray() && !prop["enum"].Empty()) {
        std::string values;
        for (rapidjson::SizeType i = 0; i < prop["enum"].Size(); ++i)
            values += (i ? ", " : "") + to_json(prop["enum"][i]);
        doc.type = "one of " + values;
        doc.example_json = to_json(prop["enum"][0]);
    } else if (format == "size" || is_pair(types, "integer", "string")) {
        doc.type = "size";
        doc.example_json = "\"1MiB\"";
    } else if (format == "duration" || is_pair(types, "number", "string")) {
        doc.type = "duration";
        doc.example_json = "\"5s\"";
    } else if (types.empty()) {
        doc.type = "any JSON value";
        doc.example_json = "null";
    } else {
        for (size_t i = 0; i < types.size(); ++i)
            doc.type += (i ? " or " : "") + one_type(types[i], prop);
        if (types.size() == 1 && (types[0] == "integer" || types[0] == "number"))
            doc.type += range_of(prop);
        const std::string &t = types[0];
        doc.example_json = t == "string"    ? "\"<" + doc.name + ">\""
                           : t == "boolean" ? "true"
                           : t == "array"   ? "[]"
                           : t == "object"  ? "{}"
                                            : "0";
        if ((t == "integer" || t == "number") && prop.HasMember("minimum"))
            doc.example_json = to_json(prop["minimum"]);
    }
    if (prop.HasMember("default")) doc.example_json = to_json(prop["default"]);
}

// Words wrapped to `width` columns, every line after the first indented by `indent`.
std::string wrapped(const std::string &text, size_t indent, size_t width) {
    std::string out, line;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find(' ', start);
        if (end == std::string::npos) end = text.size();
        std::string word = text.substr(start, end - start);
        start = end + 1;
        if (!line.empty() && indent + line.size() + 1 + word.size() > width) {
            out += std::string(indent, ' ') + line + "\n";
            line.clear();
        }
        line += (line.empty() ? "" : " ") + word;
    }
    if (!line.empty()) out += std::string(indent, ' ') + line + "\n";
    return out;
}

constexpr size_t kNameColumn = 22;
constexpr size_t kWidth = 100;

} // namespace

std::vector<OptionDoc> option_docs(const std::string &schema_json) {
    rapidjson::Document schema;
    schema.Parse<rapidjson::kParseIterativeFlag>(schema_json.c_str());
    if (schema.HasParseError()) throw std::invalid_argument("the options schema is not JSON");
    if (!schema.IsObject()) throw std::invalid_argument("the options schema is not an object");
    std::vector<OptionDoc> out;
    if (!schema.HasMember("properties")) return out; // takes no options
    if (!schema["properties"].IsObject())
        throw std::invalid_argument("the options schema's \"properties\" is not an object");
    std::vector<std::string> required;
    if (schema.HasMember("required") && schema["required"].IsArray())
        for (rapidjson::SizeType i = 0; i < schema["required"].Size(); ++i)
            if (schema["required"][i].IsString())
                required.emplace_back(schema["required"][i].GetString());

    // By index: clang in C++20 finds RapidJSON's iterator comparison ambiguous.
    const Value &props = schema["properties"];
    for (rapidjson::SizeType i = 0; i < props.MemberCount(); ++i) {
        const auto &m = *(props.MemberBegin() + i);
        OptionDoc doc;
        doc.name = m.name.GetString();
        for (const auto &r : required)
            doc.required = doc.required || r == doc.name;
        if (m.value.IsObject()) {
            describe_type(m.value, doc);
            doc.description = text_of(m.value, "description");
            if (m.value.HasMember("default")) doc.default_json = to_json(m.value["default"]);
        } else {
            doc.type = "any JSON value";
            doc.example_json = "null";
        }
        out.push_back(std::move(doc));
    }
    return out;
}

std::string options_text(const std::vector<OptionDoc> &options) {
    if (options.empty()) return "options: none\n";
    std::string out = "options:\n";
    bool sizes = false, durations = false;
    for (const auto &o : options) {
        std::string head = "  " + o.name;
        std::string type = o.type + (o.required ? "; required" : "");
        if (!o.default_json.empty()) type += "; default " + o.default_json;
        if (head.size() + 1 > kNameColumn)
            out += head + "\n" + std::string(kNameColumn, ' ');
        else
            out += fmt::format("{:<{}}", head, kNameColumn);
        out += wrapped(type, kNameColumn, kWidth).substr(kNameColumn);
        if (!o.description.empty()) out += wrapped(o.description, kNameColumn, kWidth);
        sizes = sizes || o.type == "size";
        durations = durations || o.type == "duration";
    }
    if (sizes || durations) out += "\n";
    if (sizes)
        out += wrapped("a size is a number of bytes or a string with a unit: \"64KiB\", "
                       "\"100MiB\", \"1GiB\" (binary), \"10MB\" (decimal).",
                       0, kWidth);
    if (durations)
        out += wrapped("a duration is a number of seconds or a string with a unit: \"250ms\", "
                       "\"5s\", \"1.5m\", \"2h\".",
                       0, kWidth);
    return out;
}

std::string config_snippet(const std::string &kind, const std::string &ref,
                           const std::vector<OptionDoc> &options) {
    std::string out = fmt::format("{{\n  \"{}s\": [\n    {{\n      \"plugin\": \"{}\"", kind, ref);
    for (const auto &o : options)
        if (o.required) out += fmt::format(",\n      \"{}\": {}", o.name, o.example_json);
    return out + "\n    }\n  ]\n}\n";
}

} // namespace mafio
