#include "http_session.hpp"

namespace tcpdump_v1 {

void HttpSession::on_head(bool request, const HttpMessage &m) {
    if (request) {
        if (pending_.size() >= max_pending_) {
            ++counters_.unanswered_evicted;
            emit_front();
        }
        Pending p;
        p.id = ++requests_seen_;
        p.rec.ts_ns = m.first_ts;
        p.rec.ep = ep_;
        p.rec.method = m.method;
        p.rec.url = m.url;
        p.rec.host = m.host;
        p.rec.type = type_;
        pending_.push_back(std::move(p));
        return;
    }
    for (auto &p : pending_) {
        if (p.responded) continue;
        p.responded = true;
        p.rec.status = m.status;
        // After a protocol switch the client's bytes are not HTTP any more.
        if (m.status == 101 || (p.rec.method == "CONNECT" && m.status >= 200 && m.status < 300))
            requests_.make_opaque();
        const int64_t dt = m.first_ts - p.rec.ts_ns;
        p.rec.latency_ms = dt > 0 ? static_cast<double>(dt) / 1e6 : 0.0;
        orphan_response_ = false;
        return;
    }
    ++counters_.unmatched_responses;
    orphan_response_ = true;
}

void HttpSession::on_complete(bool request, const HttpMessage &m) {
    if (request) {
        // The request that just ended is the last one whose head was read, if still waiting.
        if (!pending_.empty() && pending_.back().id == requests_seen_) {
            pending_.back().rec.req_bytes = m.bytes;
            pending_.back().request_done = true;
        }
    } else if (orphan_response_) {
        orphan_response_ = false;
    } else {
        for (auto &p : pending_) {
            if (!p.responded || p.response_done) continue;
            p.rec.resp_bytes = m.bytes;
            p.response_done = true;
            break;
        }
    }
    emit_ready();
}

std::string HttpSession::answered_method() const {
    for (const auto &p : pending_)
        if (!p.responded) return p.rec.method;
    return {};
}

void HttpSession::emit_front() {
    sink_.http(std::move(pending_.front().rec));
    pending_.pop_front();
}

void HttpSession::emit_ready() {
    while (!pending_.empty() && pending_.front().request_done && pending_.front().response_done)
        emit_front();
}

void HttpSession::finish(int64_t ts_ns) {
    requests_.finish(ts_ns);
    responses_.finish(ts_ns);
    while (!pending_.empty())
        emit_front();
}

} // namespace tcpdump_v1
