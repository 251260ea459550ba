// Deterministic sample text for the microbenchmarks: `n` bytes of ~110-byte access-log lines,
// optionally with some non-ASCII (still valid UTF-8) text, each line ending with '\n'.
#pragma once

#include <cstdint>
#include <string>

namespace mafio_bench {

inline std::string sample_lines(size_t n, bool non_ascii = false) {
    std::string out;
    out.reserve(n + 256);
    uint32_t i = 0;
    while (out.size() < n) {
        out += "10.0." + std::to_string(i % 256) + "." + std::to_string(i * 7 % 256) +
               " - - [24/Nov/2024:20:00:00 +0000] \"GET /api/v1/item/" + std::to_string(i) +
               " HTTP/1.1\" 200 " + std::to_string(i * 13 % 50000) + " \"-\" \"curl/7.88\"";
        if (non_ascii && i % 4 == 0) out += " Größe überschritten";
        out += '\n';
        ++i;
    }
    out.resize(out.rfind('\n', n - 1) + 1); // whole lines only
    return out;
}

} // namespace mafio_bench
