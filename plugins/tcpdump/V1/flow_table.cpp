#include "flow_table.hpp"

#include <cstring>

namespace tcpdump_v1 {

namespace {

// Discards a direction's bytes on a port that is not parsed as HTTP.
class NullSink final : public StreamSink {
public:
    void on_data(const uint8_t *, size_t, int64_t) override {}
    void on_gap(uint64_t, int64_t) override {}
};
NullSink null_sink;

} // namespace

struct FlowTable::Flow {
    Flow(const Key &k, const PortRole &r, const FlowConfig &cfg, RecordSink &sink,
         SessionCounters &sc, int64_t ts)
        : role(r), first_ts(ts), last_ts(ts), c2s(cfg.max_out_of_order), s2c(cfg.max_out_of_order) {
        ep.client = k.client;
        ep.server = k.server;
        ep.client_port = k.client_port;
        ep.server_port = k.server_port;
        if (role.http)
            http = std::make_unique<HttpSession>(ep, role.type, cfg.max_head,
                                                 cfg.max_pending_requests, sink, sc);
    }
    Endpoints ep;
    PortRole role;
    int64_t first_ts, last_ts;
    Reassembler c2s, s2c;
    std::unique_ptr<HttpSession> http;
    uint64_t bytes[2] = {0, 0}, packets[2] = {0, 0}; // [0] from the client
    bool fin[2] = {false, false};
    std::list<Key>::iterator lru;
};

size_t FlowTable::KeyHash::operator()(const Key &k) const {
    // FNV-1a over the tuple: cheap, and the ports alone spread typical traffic well.
    uint64_t h = 1469598103934665603ull;
    auto mix = [&h](const uint8_t *p, size_t n) {
        for (size_t i = 0; i < n; ++i)
            h = (h ^ p[i]) * 1099511628211ull;
    };
    mix(k.client.bytes, 16);
    mix(k.server.bytes, 16);
    const uint16_t ports[2] = {k.client_port, k.server_port};
    mix(reinterpret_cast<const uint8_t *>(ports), sizeof ports);
    return static_cast<size_t>(h);
}

FlowTable::FlowTable(const FlowConfig &cfg, RecordSink &sink) : cfg_(cfg), sink_(sink) {}
FlowTable::~FlowTable() = default;

FlowTable::Flow *FlowTable::find_or_open(const Segment &s, bool &from_client, int64_t ts) {
    const Key fwd{s.src, s.dst, s.src_port, s.dst_port};
    const Key rev{s.dst, s.src, s.dst_port, s.src_port};
    if (auto it = flows_.find(fwd); it != flows_.end()) {
        from_client = true;
        return it->second.get();
    }
    if (auto it = flows_.find(rev); it != flows_.end()) {
        from_client = false;
        return it->second.get();
    }
    const auto dst = roles_.find(s.dst_port), src = roles_.find(s.src_port);
    const bool dst_watched = dst != roles_.end(), src_watched = src != roles_.end();
    if (!dst_watched && !src_watched) {
        ++counters_.segments_unwatched;
        return nullptr;
    }
    // A connection starts with a SYN or with data; a lone ACK, FIN or RST after the end of one
    // must not open a new one (it would be reported as an empty connection).
    const bool syn = s.flags & tcp_flag::syn, ack = s.flags & tcp_flag::ack;
    if (!syn && s.length == 0) return nullptr;
    if (dst_watched && src_watched) // both are watched ports: the handshake says who called
        from_client = syn ? !ack : s.dst_port < s.src_port;
    else
        from_client = dst_watched;
    const Key key = from_client ? fwd : rev;
    const PortRole &role = (from_client ? dst : src)->second;
    if (flows_.size() >= cfg_.max_flows && !lru_.empty()) {
        ++counters_.flows_evicted;
        close(flows_.find(lru_.front()), ts, TcpEnd::evicted);
    }
    ++counters_.flows_opened;
    auto flow = std::make_unique<Flow>(key, role, cfg_, sink_, counters_.http, ts);
    lru_.push_back(key);
    flow->lru = std::prev(lru_.end());
    return flows_.emplace(key, std::move(flow)).first->second.get();
}

void FlowTable::on_segment(const Segment &s, int64_t ts) {
    bool from_client = true;
    Flow *f = find_or_open(s, from_client, ts);
    if (!f) return;
    const int d = from_client ? 0 : 1;
    f->bytes[d] += s.length;
    f->packets[d] += 1;
    if (ts > f->last_ts) f->last_ts = ts;
    lru_.splice(lru_.end(), lru_, f->lru);
    Reassembler &r = from_client ? f->c2s : f->s2c;
    StreamSink &sink = !f->http      ? static_cast<StreamSink &>(null_sink)
                       : from_client ? f->http->client_stream()
                                     : f->http->server_stream();
    const auto key = [&] {
        return from_client ? Key{s.src, s.dst, s.src_port, s.dst_port}
                           : Key{s.dst, s.src, s.dst_port, s.src_port};
    };
    if (s.flags & tcp_flag::rst) {
        close(flows_.find(key()), ts, TcpEnd::rst);
        return;
    }
    uint32_t seq = s.seq;
    if (s.flags & tcp_flag::syn) {
        r.syn(seq);
        seq += 1; // data on a SYN (TCP Fast Open) starts after it
    }
    const bool fin = s.flags & tcp_flag::fin;
    if (s.length > 0 || fin)
        r.segment(seq, s.payload, s.captured, s.length, fin, ts, sink, counters_.stream);
    if (fin) f->fin[d] = true;
    if (f->fin[0] && f->fin[1]) close(flows_.find(key()), ts, TcpEnd::fin);
}

void FlowTable::close(FlowMap::iterator it, int64_t ts, TcpEnd why) {
    if (it == flows_.end()) return;
    Flow &f = *it->second;
    if (f.http) {
        f.c2s.flush(ts, f.http->client_stream(), counters_.stream);
        f.s2c.flush(ts, f.http->server_stream(), counters_.stream);
        f.http->finish(ts);
    }
    if (f.role.tcp || (f.role.process && (!f.http || f.http->requests_seen() == 0))) {
        TcpRecord r;
        r.ts_ns = f.first_ts;
        r.ep = f.ep;
        r.client_bytes = f.bytes[0];
        r.server_bytes = f.bytes[1];
        r.client_packets = f.packets[0];
        r.server_packets = f.packets[1];
        const int64_t end = ts > f.last_ts ? (why == TcpEnd::timeout ? f.last_ts : ts) : f.last_ts;
        r.duration_ms = static_cast<double>(end - f.first_ts) / 1e6;
        r.end = why;
        r.type = f.role.tcp ? "tcp" : f.role.type;
        sink_.tcp(std::move(r));
    }
    lru_.erase(f.lru);
    flows_.erase(it);
}

void FlowTable::expire(int64_t now) {
    while (!lru_.empty()) {
        auto it = flows_.find(lru_.front());
        if (it->second->last_ts + cfg_.timeout_ns > now) break;
        ++counters_.flows_expired;
        close(it, now, TcpEnd::timeout);
    }
}

void FlowTable::close_all(int64_t ts, TcpEnd why) {
    while (!lru_.empty())
        close(flows_.find(lru_.front()), ts, why);
}

} // namespace tcpdump_v1
