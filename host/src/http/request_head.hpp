// Decides, from the bytes a client has sent so far (peeked, not consumed), whether its request
// is complete, must wait for more, or is refused before any worker sees it: 414 for a request
// line over the limit, 431 for too many or too long headers, 413 for a body over the limit,
// 411 for a body without Content-Length, 505 for an HTTP version other than 1.0 and 1.1, and 400
// for anything malformed: a request line that is not exactly "METHOD SP target SP HTTP/1.x"
// (control bytes included), a header line that is not "Name: value", two different
// Content-Length values, a second Authorization header.
#pragma once

#include "http/http_limits.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace mafio {

struct HeadVerdict {
    enum class State { incomplete, complete, refused };
    State state = State::incomplete;
    int status = 0;                // when refused
    std::string message;           // when refused
    bool head_done = false;        // the head is complete (only the body may be missing)
    bool expects_continue = false; // "Expect: 100-continue" on a complete head
};

HeadVerdict inspect_request(std::string_view received, const HttpLimits &limits);

// The most bytes inspect_request can need to see before it decides.
size_t max_request_bytes(const HttpLimits &limits);

} // namespace mafio
