// http:V1's JSON text: a record's bytes as a JSON string (escaping control bytes, replacing
// invalid UTF-8), and whether a record already is one JSON object (sent as it is). Pure, so that
// the unit tests pin the escaping down byte for byte.
#pragma once

#include <rapidjson/encodings.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace http_v1 {

// The length of the well-formed UTF-8 sequence starting at s[0] (2..4), or 0 when it is not one:
// a stray continuation byte, a truncated sequence, an overlong form, a surrogate, or a code point
// above U+10FFFF (RFC 3629 section 4).
inline size_t utf8_sequence(const unsigned char *s, size_t left) {
    const unsigned char c = s[0];
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF; // the allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) lo = 0xA0; // overlong
        if (c == 0xED) hi = 0x9F; // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) lo = 0x90; // overlong
        if (c == 0xF4) hi = 0x8F; // above U+10FFFF
    } else {
        return 0;
    }
    if (left < n || s[1] < lo || s[1] > hi) return 0;
    for (size_t i = 2; i < n; ++i)
        if ((s[i] & 0xC0) != 0x80) return 0;
    return n;
}

// Appends `bytes` to `out` as a JSON string, quotes included. Control bytes become \n, \t, \r,
// \b, \f or \u00XX; '"' and '\' are escaped; well-formed UTF-8 is kept as it is; every byte that
// is not part of well-formed UTF-8 becomes U+FFFD (\ufffd), so the result is always valid JSON
// and valid UTF-8, and a reader can see where bytes were replaced. DEL (0x7F) is valid JSON and
// kept.
inline void append_json_string(std::string &out, std::string_view bytes) {
    static constexpr char hex[] = "0123456789abcdef";
    const auto *s = reinterpret_cast<const unsigned char *>(bytes.data());
    const size_t len = bytes.size();
    out.reserve(out.size() + len + 2);
    out.push_back('"');
    size_t run = 0; // start of the pending run of bytes copied as they are
    size_t i = 0;
    auto flush_run = [&](size_t end) {
        out.append(reinterpret_cast<const char *>(s + run), end - run);
    };
    while (i < len) {
        const unsigned char c = s[i];
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            ++i;
            continue;
        }
        if (c >= 0x80) {
            const size_t n = utf8_sequence(s + i, len - i);
            if (n != 0) {
                i += n;
                continue;
            }
            flush_run(i);
            out += "\\ufffd";
            run = ++i;
            continue;
        }
        flush_run(i);
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        default:
            out += "\\u00";
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 0xF]);
        }
        run = ++i;
    }
    flush_run(len);
    out.push_back('"');
}

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
