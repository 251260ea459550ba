// Writing bytes as a JSON string, whatever they are. Records are bytes: a log line may hold
// control characters, a stray quote or invalid UTF-8, and the JSON written for it must still be
// valid and keep every valid character as it was.
//
//   - '"' and '\' are escaped; \b \f \n \r \t get their short escapes, other bytes below 0x20
//     \u00XX;
//   - valid UTF-8 is copied unchanged (no \u escapes for non-ASCII);
//   - each byte that does not begin a valid UTF-8 sequence (a stray continuation byte, a
//     truncated, overlong or surrogate sequence, a code point past U+10FFFF) becomes U+FFFD.
//
// Runs of plain bytes are copied at once, so a line needing no escapes costs one scan and one
// append. The output string's capacity is reused by its owner: no allocation once it is warm.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace mafio_plugins {

// The length of the valid UTF-8 sequence starting at s[0] (1..4), or 0 when it is not valid.
// `s` holds at least one byte; `n` is how many are left.
inline size_t utf8_sequence_length(const unsigned char *s, size_t n) {
    const unsigned char c = s[0];
    if (c < 0x80) return 1;
    size_t len;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        cp = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        cp = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        cp = c & 0x07u;
    } else {
        return 0; // a continuation byte, or 0xC0/0xC1/0xF5.. which never start a valid one
    }
    if (n < len) return 0;
    for (size_t i = 1; i < len; ++i) {
        if ((s[i] & 0xC0u) != 0x80u) return 0;
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    const bool overlong = (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    const bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
    if (overlong || surrogate || cp > 0x10FFFF) return 0;
    return len;
}

// Appends `in` to `out` as a JSON string, quotes included.
inline void append_json_string(std::string &out, std::string_view in) {
    static constexpr char kHex[] = "0123456789abcdef";
    const auto *s = reinterpret_cast<const unsigned char *>(in.data());
    const size_t n = in.size();
    out.push_back('"');
    size_t run = 0; // start of the bytes not yet copied
    size_t i = 0;
    while (i < n) {
        const unsigned char c = s[i];
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            ++i;
            continue;
        }
        if (c >= 0x80) {
            const size_t len = utf8_sequence_length(s + i, n - i);
            if (len > 0) {
                i += len;
                continue;
            }
        }
        out.append(in.data() + run, i - run);
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (c < 0x20) {
                const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
                out.append(esc, 6);
            } else {
                out += "\xEF\xBF\xBD"; // U+FFFD for a byte that starts no valid sequence
            }
        }
        run = ++i;
    }
    out.append(in.data() + run, n - run);
    out.push_back('"');
}

} // namespace mafio_plugins
