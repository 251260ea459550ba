// Reads a record that is one JSON object: parse it into a DOM whose memory is reused from one
// record to the next (no allocation per record once the buffers have grown to the records'
// size), find fields by dotted path, and write values back as compact JSON.
//
// Dotted paths: "a.b.c" is member "c" of object "b" of object "a"; a key that itself contains
// a dot cannot be addressed. Arrays are not indexed.
#pragma once

#include "json_text.hpp"

#include <rapidjson/document.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <memory>
#include <string>
#include <string_view>

namespace mafio_plugins {

class JsonRecord {
public:
    using Value = rapidjson::Value;
    // Deeper values are refused when written (the writer recurses; the parser does not).
    static constexpr int kMaxDepth = 256;

    JsonRecord()
        : buffer_(std::make_unique<char[]>(kBufferSize)), pool_(buffer_.get(), kBufferSize),
          doc_(&pool_) {}
    JsonRecord(const JsonRecord &) = delete;
    JsonRecord &operator=(const JsonRecord &) = delete;

    // Parses `text` as exactly one JSON value (JSON whitespace around it allowed). Strings must
    // be valid UTF-8. On success root() is the value, valid until the next parse().
    bool parse(std::string_view text) {
        pool_.Clear(); // the previous record's values; the first 64 KiB are never freed
        rapidjson::MemoryStream stream(text.data(), text.size());
        Populate populate{reader_, stream};
        doc_.Populate(populate);
        if (!populate.ok) return false;
        for (size_t i = stream.Tell(); i < text.size(); ++i)
            if (text[i] != ' ' && text[i] != '\t' && text[i] != '\n' && text[i] != '\r')
                return false;
        return true;
    }
    bool parse_object(std::string_view text) { return parse(text) && doc_.IsObject(); }

    Value &root() { return doc_; }
    rapidjson::MemoryPoolAllocator<> &allocator() { return pool_; }

    // The value at a dotted path below `from` (the root by default), or nullptr.
    const Value *find(std::string_view path) const { return find_in(doc_, path); }
    static const Value *find_in(const Value &from, std::string_view path) {
        const Value *v = &from;
        while (true) {
            if (!v->IsObject()) return nullptr;
            const size_t dot = path.find('.');
            const std::string_view name = path.substr(0, dot);
            const Value *next = nullptr;
            for (auto m = v->MemberBegin(); m != v->MemberEnd(); ++m)
                if (std::string_view(m->name.GetString(), m->name.GetStringLength()) == name)
                    next = &m->value; // the last of duplicate names, as most readers do
            if (!next) return nullptr;
            if (dot == std::string_view::npos) return next;
            v = next;
            path.remove_prefix(dot + 1);
        }
    }

    // Appends `v` as compact JSON (strings escaped per json_text.hpp). False when it nests
    // deeper than kMaxDepth (what was appended is then incomplete).
    static bool write(std::string &out, const Value &v, int depth = 0) {
        if (depth > kMaxDepth) return false;
        switch (v.GetType()) {
        case rapidjson::kNullType:
            out += "null";
            return true;
        case rapidjson::kFalseType:
            out += "false";
            return true;
        case rapidjson::kTrueType:
            out += "true";
            return true;
        case rapidjson::kStringType:
            append_json_string(out, {v.GetString(), v.GetStringLength()});
            return true;
        case rapidjson::kNumberType:
            if (v.IsInt64())
                append_json_int(out, v.GetInt64());
            else if (v.IsUint64())
                out += std::to_string(v.GetUint64());
            else
                append_json_double(out, v.GetDouble());
            return true;
        case rapidjson::kArrayType: {
            out += '[';
            bool first = true;
            for (const auto &e : v.GetArray()) {
                if (!first) out += ',';
                first = false;
                if (!write(out, e, depth + 1)) return false;
            }
            out += ']';
            return true;
        }
        case rapidjson::kObjectType: {
            out += '{';
            bool first = true;
            for (auto m = v.MemberBegin(); m != v.MemberEnd(); ++m) {
                if (!first) out += ',';
                first = false;
                append_json_string(out, {m->name.GetString(), m->name.GetStringLength()});
                out += ':';
                if (!write(out, m->value, depth + 1)) return false;
            }
            out += '}';
            return true;
        }
        }
        return false;
    }

    // The text a regex sees for a value: a string's own (unescaped) bytes, otherwise its
    // compact JSON (200, true, null, {"a":1}). Uses `scratch` when it must write.
    static std::string_view text_of(const Value &v, std::string &scratch) {
        if (v.IsString()) return {v.GetString(), v.GetStringLength()};
        scratch.clear();
        if (!write(scratch, v)) return {};
        return scratch;
    }

private:
    static constexpr size_t kBufferSize = 64 * 1024;
    // Iterative: no recursion whatever the nesting. Validate encoding: a string with invalid
    // UTF-8 makes the record invalid JSON. Not kParseFullPrecisionFlag: Debian's RapidJSON 1.1.0
    // passes 0 to clz() on that path for some inputs (undefined behaviour, found by
    // fuzz_parser_json); the default conversion is exact for integers and within a few ULP for
    // decimals of more than 15 significant digits.
    static constexpr unsigned kFlags = rapidjson::kParseIterativeFlag |
                                       rapidjson::kParseValidateEncodingFlag |
                                       rapidjson::kParseStopWhenDoneFlag;
    // Parses with our own reader, whose stack is kept between records (Document::Parse would
    // make a new reader, and allocate its stack, every time).
    struct Populate {
        rapidjson::Reader &reader;
        rapidjson::MemoryStream &stream;
        bool ok = false;
        bool operator()(rapidjson::Document &handler) {
            ok = !reader.Parse<kFlags>(stream, handler).IsError();
            return ok;
        }
    };

    std::unique_ptr<char[]> buffer_;
    rapidjson::MemoryPoolAllocator<> pool_;
    rapidjson::Document doc_;
    rapidjson::Reader reader_;
};

} // namespace mafio_plugins
