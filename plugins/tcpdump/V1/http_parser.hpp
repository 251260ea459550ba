// An incremental HTTP/1.x parser for one direction of a connection (requests from the client,
// or responses from the server), fed by the reassembler. It finds each message's head (start
// line and headers, at most `max_head` bytes kept), reads the framing headers and skips the body
// without keeping it (Content-Length, chunked, or until the connection closes for a response
// without either). Garbage, a lost segment in the middle of a head, or a capture that starts
// mid-connection put it in "resync": it then skips to the next line that is a valid start line.
#pragma once

#include "reassembly.hpp"

#include <cstdint>
#include <string>

namespace tcpdump_v1 {

struct HttpMessage {
    std::string method, url, host; // a request's
    int status = 0;                // a response's
    int64_t first_ts = 0;          // the first byte's capture time
    uint64_t bytes = 0;            // head + body as on the wire (gaps counted)
    bool head_truncated = false;   // longer than max_head: headers past it were not read
};

struct HttpCounters {
    uint64_t resyncs = 0;         // garbage or a hole made the parser look for a start line
    uint64_t heads_too_large = 0; // heads longer than max_request_head_bytes
    uint64_t heads_lost = 0;      // heads cut by a hole or by the connection's end
};

class HttpEvents {
public:
    virtual ~HttpEvents() = default;
    // A head was parsed (a request: method, url, host; a response: status).
    virtual void on_head(bool request, const HttpMessage &m) = 0;
    // The message's body ended (or the connection did).
    virtual void on_complete(bool request, const HttpMessage &m) = 0;
    // The method of the request the next response answers ("" when unknown): HEAD and CONNECT
    // change how a response is framed.
    virtual std::string answered_method() const = 0;
};

class HttpParser final : public StreamSink {
public:
    HttpParser(bool request, size_t max_head, HttpEvents &events, HttpCounters &counters)
        : request_(request), max_head_(max_head), events_(events), counters_(counters) {}

    void on_data(const uint8_t *data, size_t len, int64_t ts_ns) override;
    void on_gap(uint64_t len, int64_t ts_ns) override;
    // The connection ended: a body read until close is complete, a partial one is cut.
    void finish(int64_t ts_ns);

    // The other direction switched protocols (101, or a CONNECT tunnel): stop parsing.
    void make_opaque() {
        head_.clear();
        state_ = State::opaque;
    }
    // True once the stream is no longer HTTP (an upgrade or a CONNECT tunnel).
    bool opaque() const { return state_ == State::opaque; }

private:
    enum class State {
        start,
        head,
        body,
        chunk_size,
        chunk_data,
        chunk_end,
        trailer,
        until_close,
        resync,
        opaque
    };
    enum class Line { partial, complete, too_long };
    size_t take_head(const char *p, size_t n, int64_t ts);
    Line take_line(const char *p, size_t n, size_t &used);
    void parse_head();
    void head_done(int64_t ts);
    void complete();
    void resync(bool mid_line, bool count = true);
    bool chunk_size_line();

    bool request_;
    size_t max_head_;
    HttpEvents &events_;
    HttpCounters &counters_;
    State state_ = State::start;
    HttpMessage msg_;
    std::string head_; // the head so far, or the current line in resync / chunk states
    bool skip_line_ = false;
    uint64_t remaining_ = 0;
    // Framing read from the current head.
    bool chunked_ = false, has_length_ = false, bad_length_ = false;
    uint64_t length_ = 0;
};

// Whether `line` (without its line end) is a request line ("GET /x HTTP/1.1") or a status line
// ("HTTP/1.1 200 OK"); exposed for the tests.
bool is_request_line(const std::string &line);
bool is_status_line(const std::string &line);

} // namespace tcpdump_v1
