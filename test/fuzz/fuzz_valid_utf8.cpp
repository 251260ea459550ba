// Differential fuzzing of valid:V1's UTF-8 validator (plugins/valid/V1/utf8.hpp) against a
// plain byte-at-a-time decoder written from RFC 3629 here. The input is checked as is, behind
// 1..40 ASCII bytes (to move it across the validator's 8- and 32-byte fast paths) and with ASCII
// after it.
#include "../../plugins/valid/V1/utf8.hpp"

#include <cstdint>
#include <cstdlib>
#include <vector>

namespace {

// Decode each sequence to its code point and refuse overlongs, surrogates and > U+10FFFF.
bool reference_valid_utf8(const unsigned char *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        const unsigned char c = s[i];
        size_t len;
        uint32_t cp;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (n - i < len) return false;
        for (size_t k = 1; k < len; ++k) {
            if ((s[i + k] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        const uint32_t min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += len;
    }
    return true;
}

void compare(const std::vector<unsigned char> &v) {
    // An exactly sized heap copy: ASan flags any read past the end.
    auto *buf = new unsigned char[v.size() ? v.size() : 1];
    std::copy(v.begin(), v.end(), buf);
    const bool got = valid_v1::is_valid_utf8(buf, v.size());
    const bool want = reference_valid_utf8(buf, v.size());
    delete[] buf;
    if (got != want) std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    std::vector<unsigned char> v(data, data + size);
    compare(v);
    if (size == 0) return 0;
    const size_t pad = 1 + data[0] % 40;
    std::vector<unsigned char> padded(pad, 'a');
    padded.insert(padded.end(), data + 1, data + size);
    compare(padded);
    padded.insert(padded.end(), pad, 'z');
    compare(padded);
    return 0;
}
