// The records tcpdump:V1 emits, and their two encodings: JSON (default) and the original
// agent's multi-line "Key:value" text (`format: original`).
#pragma once

#include "packet.hpp"

#include <cstdint>
#include <string>

namespace tcpdump_v1 {

struct Endpoints {
    Address client, server;
    uint16_t client_port = 0, server_port = 0;
};

// One HTTP request and, when it was seen, its response.
struct HttpRecord {
    int64_t ts_ns = 0; // the request's first byte
    Endpoints ep;
    std::string method, url, host;
    int status = 0;          // 0: no response seen
    double latency_ms = -1;  // request's first byte to response's first byte; < 0: none
    uint64_t req_bytes = 0;  // head + body
    uint64_t resp_bytes = 0; // head + body
    std::string type;        // "http" or the watched process owning the port
};

enum class TcpEnd { fin, rst, timeout, evicted, capture_end };
const char *to_string(TcpEnd e);

// One TCP connection on a tcp_ports port (or a target process's port that carried no HTTP).
struct TcpRecord {
    int64_t ts_ns = 0; // its first packet
    Endpoints ep;
    uint64_t client_bytes = 0, server_bytes = 0; // payload bytes each way
    uint64_t client_packets = 0, server_packets = 0;
    double duration_ms = 0;
    TcpEnd end = TcpEnd::fin;
    std::string type; // "tcp" or the watched process owning the port
};

class RecordSink {
public:
    virtual ~RecordSink() = default;
    virtual void http(HttpRecord &&r) = 0;
    virtual void tcp(TcpRecord &&r) = 0;
};

enum class Format { json, original };

// Appends one encoded record to `out`.
void encode(const HttpRecord &r, Format f, std::string &out);
void encode(const TcpRecord &r, Format f, std::string &out);

// RFC 3339 UTC with microseconds: 2026-11-30T09:55:21.123456Z.
std::string rfc3339(int64_t ts_ns);

} // namespace tcpdump_v1
