// A strict UTF-8 validator (RFC 3629, Unicode table 3-7): no overlong forms, no surrogates
// (U+D800..U+DFFF), nothing above U+10FFFF. U+0000 is valid.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace valid_v1 {

inline bool is_valid_utf8(const unsigned char *s, size_t n) {
    constexpr uint64_t kHighBits = 0x8080808080808080ull;
    size_t i = 0;
    while (i < n) {
        // Log text is mostly ASCII: 32 bytes per step while they all are (the compiler keeps the
        // four words in registers), then 8 at a time up to the first non-ASCII byte.
        while (n - i >= 32) {
            uint64_t w[4];
            std::memcpy(w, s + i, 32);
            if (((w[0] | w[1] | w[2] | w[3]) & kHighBits) != 0) break;
            i += 32;
        }
        if (i == n) break;
        if (n - i >= 8) {
            uint64_t word;
            std::memcpy(&word, s + i, 8);
            const uint64_t high = word & kHighBits;
            if (high == 0) {
                i += 8;
                continue;
            }
            if constexpr (std::endian::native == std::endian::little)
                i += static_cast<size_t>(std::countr_zero(high)) / 8;
        }
        const unsigned char lead = s[i];
        if (lead < 0x80) {
            ++i;
            continue;
        }
        // The second byte's range is what rules out overlongs, surrogates and > U+10FFFF.
        size_t continuation;
        unsigned char second_min = 0x80, second_max = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            continuation = 1;
        } else if (lead == 0xE0) {
            continuation = 2;
            second_min = 0xA0;
        } else if (lead == 0xED) {
            continuation = 2;
            second_max = 0x9F;
        } else if (lead >= 0xE1 && lead <= 0xEF) {
            continuation = 2;
        } else if (lead == 0xF0) {
            continuation = 3;
            second_min = 0x90;
        } else if (lead == 0xF4) {
            continuation = 3;
            second_max = 0x8F;
        } else if (lead >= 0xF1 && lead <= 0xF3) {
            continuation = 3;
        } else {
            return false; // 0x80..0xC1 (stray continuation, overlong 2-byte) or 0xF5..0xFF
        }
        if (n - i <= continuation) return false;
        if (s[i + 1] < second_min || s[i + 1] > second_max) return false;
        for (size_t k = 2; k <= continuation; ++k)
            if ((s[i + k] & 0xC0) != 0x80) return false;
        i += continuation + 1;
    }
    return true;
}

} // namespace valid_v1
