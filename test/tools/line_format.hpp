// The test line format shared by mafio-testwriter and mafio-testcheck:
//
//     <stream>:<seq>:<payload>\n
//
// `stream` is a name without ':' or '\n', `seq` a decimal number (1, 2, 3 ... per stream) and
// `payload` a run of [A-Za-z0-9_-] whose bytes and length both follow from (stream, seq, seed,
// min, max) alone. So the checker can tell, for every line it reads back, whether it is exactly
// the line the writer wrote: a torn, truncated or merged line has the wrong payload.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace testline {

// splitmix64: tiny, fast, and good enough to make every (stream, seq) look unrelated.
inline uint64_t mix(uint64_t x) {
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

// FNV-1a of the stream name, computed once per stream.
inline uint64_t stream_key(std::string_view stream) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (unsigned char c : stream)
        h = (h ^ c) * 0x100000001b3ull;
    return h;
}

struct Shape {
    uint64_t seed = 1;
    uint64_t min_len = 16; // payload bytes, not counting "stream:seq:" and '\n'
    uint64_t max_len = 120;
};

inline uint64_t payload_length(const Shape &shape, uint64_t key, uint64_t seq) {
    const uint64_t span = shape.max_len - shape.min_len + 1;
    return shape.min_len + mix(mix(shape.seed ^ key) + seq) % span;
}

// Appends the payload of (key, seq) with `len` bytes to `out`. Independent of the seed, so a
// line's content identifies its stream and number whatever the length settings were.
inline void append_payload(std::string &out, uint64_t key, uint64_t seq, uint64_t len) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    uint64_t state = mix(key ^ (seq * 0xd1342543de82ef95ull));
    const size_t at = out.size();
    out.resize(at + len);
    char *p = out.data() + at;
    while (len > 0) {
        uint64_t bits = mix(state++);
        for (int i = 0; i < 10 && len > 0; ++i, --len, bits >>= 6)
            *p++ = kAlphabet[bits & 63];
    }
}

// The whole line, '\n' included.
inline std::string make_line(const Shape &shape, std::string_view stream, uint64_t key,
                             uint64_t seq) {
    std::string line;
    line.reserve(stream.size() + 24 + shape.max_len);
    line.append(stream);
    line.push_back(':');
    line.append(std::to_string(seq));
    line.push_back(':');
    append_payload(line, key, seq, payload_length(shape, key, seq));
    line.push_back('\n');
    return line;
}

} // namespace testline
