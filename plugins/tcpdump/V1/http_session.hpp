// The HTTP side of one connection: a request parser, a response parser, and the requests
// waiting for their responses. HTTP/1.x answers in order, so the n-th response answers the n-th
// request (pipelining included). A request's record is emitted once both its body and its
// response's are over, or when the connection ends (then without a status if none came).
#pragma once

#include "http_parser.hpp"
#include "records.hpp"

#include <deque>

namespace tcpdump_v1 {

struct SessionCounters {
    HttpCounters parser;
    uint64_t unmatched_responses = 0; // a response with no request seen (capture started late)
    uint64_t unanswered_evicted = 0;  // emitted early: too many requests awaited responses
};

class HttpSession final : private HttpEvents {
public:
    // At most `max_pending` requests wait for responses; the oldest is emitted without one
    // beyond that, so a server that never answers cannot grow the session.
    HttpSession(const Endpoints &ep, const std::string &type, size_t max_head, size_t max_pending,
                RecordSink &sink, SessionCounters &counters)
        : ep_(ep), type_(type), max_pending_(max_pending), sink_(sink), counters_(counters),
          requests_(true, max_head, *this, counters.parser),
          responses_(false, max_head, *this, counters.parser) {}
    HttpSession(const HttpSession &) = delete;
    HttpSession &operator=(const HttpSession &) = delete;

    StreamSink &client_stream() { return requests_; }
    StreamSink &server_stream() { return responses_; }
    // The connection ended: bodies read until close end, every waiting request is emitted.
    void finish(int64_t ts_ns);
    uint64_t requests_seen() const { return requests_seen_; }

private:
    struct Pending {
        HttpRecord rec;
        uint64_t id = 0;
        bool request_done = false, responded = false, response_done = false;
    };
    void on_head(bool request, const HttpMessage &m) override;
    void on_complete(bool request, const HttpMessage &m) override;
    std::string answered_method() const override;
    void emit_ready();
    void emit_front();

    const Endpoints &ep_;
    const std::string &type_;
    size_t max_pending_;
    RecordSink &sink_;
    SessionCounters &counters_;
    HttpParser requests_, responses_;
    std::deque<Pending> pending_;
    uint64_t requests_seen_ = 0;
    bool orphan_response_ = false; // the current response answers nothing we saw
};

} // namespace tcpdump_v1
