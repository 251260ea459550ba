// Writing bytes as a JSON string, whatever they are: the one JSON string escaper of the plugins
// (stdout/logr/modify through json_lines.hpp, parser/grep through json_text.hpp, http:V1,
// syslog:V1, tcpdump:V1, command:V1). Records are bytes: a log line may hold control
// characters, a stray quote or invalid UTF-8, and the JSON written for it must still be valid and
// keep every valid character as it was.
//
//   - '"' and '\\' are backslash-escaped; \b \f \n \r \t use their short forms; every other
//     byte below 0x20 is \u00XX; DEL (0x7F) is left as is (JSON allows it);
//   - well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF) is
//     copied unchanged, so non-ASCII text stays readable;
//   - each byte that does not start a well-formed sequence becomes U+FFFD (the replacement
//     character, written as its UTF-8 bytes EF BF BD), so the output is always valid UTF-8.
//
// Runs of plain ASCII are found eight bytes at a time and copied at once, so a line needing no
// escapes costs one scan and one copy (test/bench: the parser's escaping benchmark). The output
// string's capacity is reused by its owner: no allocation once it is warm.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace mafio_plugins {

// The length of the well-formed UTF-8 sequence starting at s[0] (2..4; s[0] >= 0x80), or 0 when
// there is none: a stray continuation byte, a truncated sequence, an overlong form, a surrogate,
// or a code point above U+10FFFF. `n` is how many bytes are left (at least one).
inline size_t utf8_sequence_length(const unsigned char *s, size_t n) {
    const unsigned char lead = s[0];
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF; // the second byte's range rules out overlongs etc.
    if (lead >= 0xC2 && lead <= 0xDF) {
        len = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        len = 3;
        if (lead == 0xE0) lo = 0xA0;
        if (lead == 0xED) hi = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        len = 4;
        if (lead == 0xF0) lo = 0x90;
        if (lead == 0xF4) hi = 0x8F;
    } else {
        return 0;
    }
    if (n < len || s[1] < lo || s[1] > hi) return 0;
    for (size_t k = 2; k < len; ++k)
        if ((s[k] & 0xC0) != 0x80) return 0;
    return len;
}

// The end of the run of bytes from s[i] that need no escaping (printable ASCII other than '"'
// and '\\'). Eight bytes per step (SWAR): log text is mostly such runs.
inline size_t plain_ascii_run(const unsigned char *s, size_t i, size_t n) {
    constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
    while (n - i >= 8) {
        uint64_t w;
        std::memcpy(&w, s + i, 8);
        // A high bit in `bad` marks a byte that is < 0x20, >= 0x80, '"' or '\\' (the zero-byte
        // test below may also flag a byte next to a real match; the byte loop sorts that out).
        const uint64_t quote = w ^ (kOnes * '"'), slash = w ^ (kOnes * '\\');
        const uint64_t bad = ((w - kOnes * 0x20) | w | (quote - kOnes) | (slash - kOnes)) & kHigh;
        if (bad) break;
        i += 8;
    }
    while (i < n && s[i] >= 0x20 && s[i] < 0x80 && s[i] != '"' && s[i] != '\\')
        ++i;
    return i;
}

// Appends `text` as a JSON string literal, quotes included (policy above).
inline void append_json_string(std::string &out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    const auto *s = reinterpret_cast<const unsigned char *>(text.data());
    const size_t n = text.size();
    size_t i = plain_ascii_run(s, 0, n);
    const size_t at = out.size();
    if (i == n) { // the common case: nothing to escape, one resize and one copy
        out.resize(at + n + 2);
        char *p = out.data() + at;
        p[0] = '"';
        std::memcpy(p + 1, text.data(), n);
        p[n + 1] = '"';
        return;
    }
    out += '"';
    out.append(text.data(), i);
    while (i < n) {
        // Runs of plain ASCII are copied in one append.
        const size_t j = plain_ascii_run(s, i, n);
        out.append(text.data() + i, j - i);
        if (j == n) break;
        i = j;
        const unsigned char c = s[i];
        if (c >= 0x80) {
            const size_t len = utf8_sequence_length(s + i, n - i);
            if (len == 0) {
                out += "\xEF\xBF\xBD";
                ++i;
            } else {
                out.append(text.data() + i, len);
                i += len;
            }
            continue;
        }
        out += '\\';
        switch (c) {
        case '"':
            out += '"';
            break;
        case '\\':
            out += '\\';
            break;
        case '\b':
            out += 'b';
            break;
        case '\f':
            out += 'f';
            break;
        case '\n':
            out += 'n';
            break;
        case '\r':
            out += 'r';
            break;
        case '\t':
            out += 't';
            break;
        default:
            out += "u00";
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
        }
        ++i;
    }
    out += '"';
}

} // namespace mafio_plugins
