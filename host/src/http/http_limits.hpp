// The bounds of the monitoring API. Fixed rather than configurable: they only need to keep a
// misbehaving client from costing the agent more than a few threads and a few kilobytes.
#pragma once

#include <chrono>
#include <cstddef>

namespace mafio {

struct HttpLimits {
    size_t max_request_line = 8192; // longer: 414 URI Too Long
    size_t max_header_bytes = 8192; // all header lines together; more: 431
    size_t max_header_fields = 64;  // more: 431
    size_t max_body = 16384;        // Content-Length above it: 413 (no endpoint needs a body)
    // A connection must deliver its whole request (head and body) this soon after it was
    // accepted; one that sent nothing is closed silently, one that sent part of it gets a 408.
    std::chrono::milliseconds header_timeout{10000};
    std::chrono::milliseconds io_timeout{5000}; // each send/receive of a worker
    std::chrono::milliseconds linger{2000};     // draining a rejected client before closing
    int max_threads = 8;                        // workers answering complete requests
    int max_queued = 256;                       // complete requests waiting for a worker; more: 503
    size_t max_waiting = 1024; // connections still sending their request; more: oldest closed
};

} // namespace mafio
