// Fuzzes the HTTP request head check (host/src/http/request_head.cpp). Byte 0 picks the
// default limits (even) or small ones taken from bytes 1..4 (odd), so every limit is reached.
// Properties: no crash; a refusal has one of the documented statuses and a message; beyond
// max_request_bytes() a verdict is never "incomplete"; a complete request stays complete when
// more bytes follow (pipelining or garbage after it does not change the verdict).
#include "http/request_head.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

using mafio::HeadVerdict;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) return 0;
    mafio::HttpLimits limits;
    size_t skip = 1;
    if ((data[0] & 1) && size >= 5) {
        limits.max_request_line = data[1];
        limits.max_header_bytes = data[2];
        limits.max_header_fields = data[3] % 16;
        limits.max_body = data[4];
        skip = 5;
    }
    const std::string text(reinterpret_cast<const char *>(data + skip), size - skip);
    const HeadVerdict v = mafio::inspect_request(text, limits);
    switch (v.state) {
    case HeadVerdict::State::refused:
        if (v.message.empty()) std::abort();
        if (v.status != 400 && v.status != 411 && v.status != 413 && v.status != 414 &&
            v.status != 431)
            std::abort();
        break;
    case HeadVerdict::State::incomplete:
        if (text.size() > mafio::max_request_bytes(limits)) std::abort();
        break;
    case HeadVerdict::State::complete: {
        if (!v.head_done) std::abort();
        const HeadVerdict more = mafio::inspect_request(text + "GET / HTTP/1.1\r\n", limits);
        if (more.state != HeadVerdict::State::complete) std::abort();
        break;
    }
    }
    return 0;
}
