// The fuzz entry point of tcpdump:V1's untrusted-bytes path (test/fuzz/fuzz_tcpdump.cpp, and a
// seeded run in test/unit/test_tcpdump_fuzz.cpp so that every compiler exercises it). The bytes
// are decoded as a packet under every link type, then read as a script of TCP segments of a few
// connections (direction, flags, sequence jitter, payload, snaplen cuts, expiry), and fed to
// the HTTP parser directly in odd-sized pieces. Returns every record encoded as JSON.
#pragma once

#include "flow_table.hpp"
#include "http_parser.hpp"
#include "packet.hpp"
#include "records.hpp"

#include <string>
#include <vector>

namespace tcpdump_v1 {

class CollectingSink final : public RecordSink {
public:
    std::vector<std::string> out;
    void http(HttpRecord &&r) override {
        out.emplace_back();
        encode(r, Format::json, out.back());
        std::string text;
        encode(r, Format::original, text);
    }
    void tcp(TcpRecord &&r) override {
        out.emplace_back();
        encode(r, Format::json, out.back());
    }
};

class IgnoringEvents final : public HttpEvents {
public:
    void on_head(bool, const HttpMessage &) override {}
    void on_complete(bool, const HttpMessage &) override {}
    std::string answered_method() const override { return "GET"; }
};

inline std::vector<std::string> fuzz_tcpdump(const uint8_t *d, size_t n) {
    Segment seg;
    for (int lt : {link::null, link::ethernet, link::raw, link::loop, link::linux_sll,
                   link::linux_sll2, link::ipv4, link::ipv6})
        decode(lt, d, static_cast<uint32_t>(n), seg);

    CollectingSink sink;
    FlowConfig cfg;
    cfg.max_flows = 3;
    cfg.max_head = 300;
    cfg.max_out_of_order = 4096;
    cfg.max_pending_requests = 4;
    cfg.timeout_ns = 1000000;
    FlowTable table(cfg, sink);
    PortRoles roles;
    roles[80] = PortRole{true, true, false, "http"};
    roles[81] = PortRole{true, false, true, "proc"};
    table.set_roles(roles);
    uint32_t seq[2] = {1000, 0xFFFFFF00u}; // the server side wraps soon
    int64_t ts = 1;
    size_t i = 0;
    while (i + 4 <= n) {
        const uint8_t ctl = d[i], flags = d[i + 1];
        const int16_t jitter = static_cast<int16_t>((d[i + 2] << 8) | d[i + 3]);
        i += 4;
        size_t len = flags & 0x3F;
        if (len > n - i) len = n - i;
        const int dir = ctl & 1;
        const uint16_t client_port = static_cast<uint16_t>(40000 + ((ctl >> 1) & 3));
        const uint16_t server_port = (ctl & 0x08) ? 81 : 80;
        Segment s;
        s.src.family = s.dst.family = 4;
        s.src.bytes[0] = s.dst.bytes[0] = 10;
        s.src.bytes[3] = dir ? 2 : 1;
        s.dst.bytes[3] = dir ? 1 : 2;
        s.src_port = dir ? server_port : client_port;
        s.dst_port = dir ? client_port : server_port;
        s.seq = seq[dir] + static_cast<uint32_t>((ctl & 0x10) ? jitter : 0);
        s.flags = static_cast<uint8_t>(
            ((flags & 0x40) ? tcp_flag::syn : 0) | ((flags & 0x80) ? tcp_flag::fin : 0) |
            ((ctl & 0x20) ? tcp_flag::ack : 0) | (((ctl & 0xC0) == 0xC0) ? tcp_flag::rst : 0));
        s.payload = d + i;
        s.length = static_cast<uint32_t>(len);
        s.captured = (ctl & 0x40) ? s.length / 2 : s.length;
        table.on_segment(s, ts);
        if ((ctl & 0xC0) == 0x80) table.expire(ts + 2000000);
        if (!(ctl & 0x10)) seq[dir] += static_cast<uint32_t>(len);
        ts += 1000;
        i += len;
    }
    table.close_all(ts, TcpEnd::capture_end);

    IgnoringEvents ev;
    HttpCounters hc;
    for (bool request : {true, false}) {
        HttpParser p(request, 200, ev, hc);
        for (size_t k = 0; k < n; k += 7) {
            const size_t len = n - k < 7 ? n - k : 7;
            if (d[k] == 0xFF)
                p.on_gap(d[k] % 13, 0);
            else
                p.on_data(d + k, len, 0);
        }
        p.finish(0);
    }
    return std::move(sink.out);
}

} // namespace tcpdump_v1
