// The original agent's `bulk` message: one JSON array per write, one object per record holding
// the record's bytes in base64, as Go's encoding/json writes a []byte field named Data:
//     [{"Data":"aGVsbG8="},{"Data":"d29ybGQ="}]
#pragma once

#include <mafio/plugin.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace rabbitmq_v1 {

inline void append_base64(std::string &out, std::string_view in) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const auto *p = reinterpret_cast<const unsigned char *>(in.data());
    size_t n = in.size(), i = 0;
    const size_t at = out.size();
    out.resize(at + (n + 2) / 3 * 4);
    char *o = out.data() + at;
    for (; i + 3 <= n; i += 3) {
        const uint32_t v = uint32_t{p[i]} << 16 | uint32_t{p[i + 1]} << 8 | p[i + 2];
        *o++ = kAlphabet[v >> 18];
        *o++ = kAlphabet[(v >> 12) & 63];
        *o++ = kAlphabet[(v >> 6) & 63];
        *o++ = kAlphabet[v & 63];
    }
    if (i < n) {
        const uint32_t v = uint32_t{p[i]} << 16 | (i + 1 < n ? uint32_t{p[i + 1]} << 8 : 0);
        *o++ = kAlphabet[v >> 18];
        *o++ = kAlphabet[(v >> 12) & 63];
        *o++ = i + 1 < n ? kAlphabet[(v >> 6) & 63] : '=';
        *o++ = '=';
    }
}

// Records first..first+count-1 of `batch` as one bulk message, into `out` (reused: its capacity
// stays between writes).
inline void frame_bulk(std::string &out, const mafio_batch &batch, uint32_t first, uint32_t count) {
    out.clear();
    out.push_back('[');
    for (uint32_t i = 0; i < count; ++i) {
        if (i) out.push_back(',');
        out.append("{\"Data\":\"");
        append_base64(out, mafio::record_bytes(&batch, first + i));
        out.append("\"}");
    }
    out.push_back(']');
}

} // namespace rabbitmq_v1
