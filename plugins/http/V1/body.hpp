// http:V1's request bodies: how many of a run of records go into one request (batch_records,
// batch_bytes) and the bytes of that request in the configured format. Pure (no I/O), so that
// the unit tests check the split exactly.
#pragma once

#include "json_text.hpp"

#include <mafio/plugin.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace http_v1 {

enum class Format { ndjson, json_array, raw };

struct Limits {
    uint32_t records = 5000;          // batch_records: at most this many records per request
    uint64_t bytes = 4 * 1024 * 1024; // batch_bytes: body bytes (before compression)
};

inline const char *content_type(Format f) {
    switch (f) {
    case Format::ndjson:
        return "application/x-ndjson";
    case Format::json_array:
        return "application/json";
    case Format::raw:
        break;
    }
    return "text/plain; charset=utf-8";
}

inline std::string_view record_view(const mafio_batch &b, uint32_t i) {
    const mafio_record &r = b.records[i];
    return {reinterpret_cast<const char *>(b.arena + r.offset), r.len};
}

// Builds into `body` the request for records [from, from + n) of `b`, taking records while the
// limits allow, and returns how many it took (at least 1 when n > 0: a record larger than
// batch_bytes goes alone rather than never). raw: each record followed by '\n'; ndjson: each
// record as a JSON value followed by '\n'; json_array: "[v,v,...]".
inline uint32_t build_body(const mafio_batch &b, uint32_t from, uint32_t n, Format f,
                           const Limits &lim, std::string &body) {
    body.clear();
    if (f == Format::json_array) body.push_back('[');
    // json_array's closing ']' counts towards the limit too.
    const size_t tail = f == Format::json_array ? 1 : 0;
    uint32_t taken = 0;
    while (taken < n && taken < lim.records) {
        const size_t before = body.size();
        const std::string_view rec = record_view(b, from + taken);
        if (f == Format::raw) {
            body.append(rec.data(), rec.size());
            body.push_back('\n');
        } else {
            if (f == Format::json_array && taken > 0) body.push_back(',');
            append_json_record(body, rec);
            if (f == Format::ndjson) body.push_back('\n');
        }
        if (taken > 0 && body.size() + tail > lim.bytes) {
            body.resize(before); // this record starts the next request
            break;
        }
        ++taken;
    }
    if (f == Format::json_array) body.push_back(']');
    return taken;
}

} // namespace http_v1
