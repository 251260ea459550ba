// http:V1's JSON text: a record's bytes as a JSON string (escaping control bytes, replacing
// invalid UTF-8), and whether a record already is one JSON object (sent as it is). Pure, so that
// the unit tests pin the escaping down byte for byte.
#pragma once

#include "../../common/json_string.hpp"

#include <rapidjson/encodings.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>

namespace http_v1 {

// A record's bytes as a JSON string: the escaping every plugin shares (json_string.hpp: control
// bytes escaped, valid UTF-8 kept, each invalid byte replaced by U+FFFD).
using mafio_plugins::append_json_string;

// True when `bytes` is exactly one JSON object (surrounding whitespace allowed) in valid UTF-8.
// Iterative parsing: a record is untrusted input, and deep nesting must not overflow the stack.
// Only the first and last non-blank bytes are looked at before parsing, so a plain log line
// costs two comparisons.
inline bool is_json_object(std::string_view bytes) {
    size_t b = 0, e = bytes.size();
    auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (b < e && blank(bytes[b]))
        ++b;
    while (e > b && blank(bytes[e - 1]))
        --e;
    if (e - b < 2 || bytes[b] != '{' || bytes[e - 1] != '}') return false;
    rapidjson::MemoryStream ms(bytes.data(), bytes.size());
    rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> in(ms);
    rapidjson::BaseReaderHandler<> ignore;
    rapidjson::Reader reader;
    constexpr unsigned flags =
        rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;
    return !reader.Parse<flags>(in, ignore).IsError();
}

// Appends one record as a JSON value: a JSON object as it is (with the line breaks of its
// whitespace, the only place valid JSON can hold them, turned into spaces so that NDJSON stays
// one record per line), anything else wrapped as {"log":"..."}.
inline void append_json_record(std::string &out, std::string_view bytes) {
    if (is_json_object(bytes)) {
        const size_t at = out.size();
        out.append(bytes.data(), bytes.size());
        if (std::memchr(bytes.data(), '\n', bytes.size()) ||
            std::memchr(bytes.data(), '\r', bytes.size()))
            for (size_t i = at; i < out.size(); ++i)
                if (out[i] == '\n' || out[i] == '\r') out[i] = ' ';
        return;
    }
    out += "{\"log\":";
    append_json_string(out, bytes);
    out.push_back('}');
}

} // namespace http_v1
