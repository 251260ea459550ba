// tcpdump:V1's packet decoding (every link type it reads), the flow table (who is the client,
// FIN/RST/timeout/eviction, TCP connection records), the record encoders, the /proc port
// lookup of target_processes and the options' original spellings.
#include "../../plugins/tcpdump/V1/capture_filter.hpp"
#include "../../plugins/tcpdump/V1/flow_table.hpp"
#include "../../plugins/tcpdump/V1/packet.hpp"
#include "../../plugins/tcpdump/V1/port_roles.hpp"
#include "../../plugins/tcpdump/V1/proc_ports.hpp"
#include "../../plugins/tcpdump/V1/records.hpp"
#include "../../plugins/tcpdump/V1/tcpdump_options.hpp"

#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <rapidjson/document.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

using namespace tcpdump_v1;

namespace {

using Bytes = std::vector<uint8_t>;

void put16(Bytes &b, uint16_t v) {
    b.push_back(static_cast<uint8_t>(v >> 8));
    b.push_back(static_cast<uint8_t>(v));
}
void put32(Bytes &b, uint32_t v) {
    put16(b, static_cast<uint16_t>(v >> 16));
    put16(b, static_cast<uint16_t>(v));
}

Bytes tcp_header(uint16_t sport, uint16_t dport, uint32_t seq, uint8_t flags) {
    Bytes t;
    put16(t, sport);
    put16(t, dport);
    put32(t, seq);
    put32(t, 0);       // ack
    t.push_back(0x50); // 20 bytes
    t.push_back(flags);
    put16(t, 65535);
    put32(t, 0); // checksum, urgent
    return t;
}

Bytes ipv4_packet(uint8_t src_last, uint8_t dst_last, uint16_t sport, uint16_t dport, uint32_t seq,
                  uint8_t flags, const std::string &payload) {
    Bytes tcp = tcp_header(sport, dport, seq, flags);
    Bytes ip;
    ip.push_back(0x45);
    ip.push_back(0);
    put16(ip, static_cast<uint16_t>(20 + tcp.size() + payload.size()));
    put32(ip, 0x40000000); // id 0, DF
    ip.push_back(64);
    ip.push_back(6);
    put16(ip, 0);
    for (uint8_t last : {src_last, dst_last}) {
        ip.push_back(10);
        ip.push_back(0);
        ip.push_back(0);
        ip.push_back(last);
    }
    ip.insert(ip.end(), tcp.begin(), tcp.end());
    ip.insert(ip.end(), payload.begin(), payload.end());
    return ip;
}

Bytes ipv6_packet(uint16_t sport, uint16_t dport, const std::string &payload) {
    Bytes tcp = tcp_header(sport, dport, 1, tcp_flag::ack);
    Bytes ip{0x60, 0, 0, 0};
    put16(ip, static_cast<uint16_t>(8 + tcp.size() + payload.size()));
    ip.push_back(0); // hop-by-hop options first
    ip.push_back(64);
    for (int i = 0; i < 32; ++i)
        ip.push_back(i == 15 || i == 31 ? 1 : 0); // ::1 -> ::1
    Bytes hbh{6, 0, 1, 4, 0, 0, 0, 0};            // next: TCP, 8 bytes, PadN
    ip.insert(ip.end(), hbh.begin(), hbh.end());
    ip.insert(ip.end(), tcp.begin(), tcp.end());
    ip.insert(ip.end(), payload.begin(), payload.end());
    return ip;
}

Bytes with_link(int link, const Bytes &ip, bool v6 = false) {
    Bytes out;
    switch (link) {
    case link::ethernet:
        out.assign(12, 0xAA);
        put16(out, 0x8100); // a VLAN tag
        put16(out, 7);
        put16(out, v6 ? 0x86DD : 0x0800);
        break;
    case link::linux_sll:
        out.assign(14, 0);
        put16(out, v6 ? 0x86DD : 0x0800);
        break;
    case link::linux_sll2:
        put16(out, v6 ? 0x86DD : 0x0800);
        out.resize(20, 0);
        break;
    case link::null:
        out = {2, 0, 0, 0};
        break;
    default:
        break;
    }
    out.insert(out.end(), ip.begin(), ip.end());
    return out;
}

struct Records final : RecordSink {
    std::vector<HttpRecord> h;
    std::vector<TcpRecord> t;
    void http(HttpRecord &&r) override { h.push_back(std::move(r)); }
    void tcp(TcpRecord &&r) override { t.push_back(std::move(r)); }
};

Segment decoded(const Bytes &b, int link = link::raw) {
    Segment s;
    REQUIRE(decode(link, b.data(), static_cast<uint32_t>(b.size()), s) == Decoded::segment);
    return s;
}

} // namespace

TEST_CASE("tcpdump decode: IPv4 TCP under every link type") {
    const Bytes ip = ipv4_packet(1, 2, 40000, 80, 7, tcp_flag::ack | tcp_flag::fin, "GET /");
    for (int link : {link::ethernet, link::linux_sll, link::linux_sll2, link::null, link::raw,
                     link::raw_file, link::ipv4}) {
        INFO("link type " << link);
        const Bytes pkt = with_link(link, ip);
        Segment s;
        REQUIRE(decode(link, pkt.data(), static_cast<uint32_t>(pkt.size()), s) == Decoded::segment);
        CHECK(to_string(s.src) == "10.0.0.1");
        CHECK(to_string(s.dst) == "10.0.0.2");
        CHECK(s.src_port == 40000);
        CHECK(s.dst_port == 80);
        CHECK(s.seq == 7);
        CHECK(s.flags == (tcp_flag::ack | tcp_flag::fin));
        CHECK(std::string(reinterpret_cast<const char *>(s.payload), s.captured) == "GET /");
    }
}

TEST_CASE("tcpdump decode: IPv6 with an extension header") {
    for (int link : {link::ethernet, link::linux_sll2, link::ipv6}) {
        const Bytes pkt = with_link(link, ipv6_packet(5000, 8080, "hi"), true);
        Segment s;
        REQUIRE(decode(link, pkt.data(), static_cast<uint32_t>(pkt.size()), s) == Decoded::segment);
        CHECK(to_string(s.src) == "::1");
        CHECK(s.dst_port == 8080);
        CHECK(s.length == 2);
    }
}

TEST_CASE("tcpdump decode: snaplen cuts, padding, fragments, other protocols, junk") {
    Bytes ip = ipv4_packet(1, 2, 1, 80, 0, tcp_flag::ack, "0123456789");
    Segment s;
    // Cut by the snaplen: 4 payload bytes captured of 10.
    REQUIRE(decode(link::raw, ip.data(), static_cast<uint32_t>(ip.size() - 6), s) ==
            Decoded::segment);
    CHECK(s.captured == 4);
    CHECK(s.length == 10);
    // Ethernet padding after the IP datagram is not payload.
    Bytes padded = ip;
    padded.resize(padded.size() + 6, 0);
    REQUIRE(decode(link::raw, padded.data(), static_cast<uint32_t>(padded.size()), s) ==
            Decoded::segment);
    CHECK(s.length == 10);
    Bytes frag = ip;
    frag[6] = 0x20; // more fragments
    CHECK(decode(link::raw, frag.data(), static_cast<uint32_t>(frag.size()), s) ==
          Decoded::fragment);
    Bytes udp = ip;
    udp[9] = 17;
    CHECK(decode(link::raw, udp.data(), static_cast<uint32_t>(udp.size()), s) == Decoded::not_tcp);
    const Bytes junk{0x45, 1, 2};
    CHECK(decode(link::raw, junk.data(), 3, s) == Decoded::malformed);
    CHECK(decode(147, junk.data(), 3, s) == Decoded::unknown_link);
    Bytes arp(14, 0);
    arp[12] = 0x08;
    arp[13] = 0x06;
    CHECK(decode(link::ethernet, arp.data(), 14, s) == Decoded::not_tcp);
}

TEST_CASE("tcpdump flows: a whole HTTP connection, handshake to FIN, with a TCP record") {
    Records out;
    FlowTable t(FlowConfig{}, out);
    PortRoles roles;
    roles[80] = PortRole{true, true, false, "http"};
    t.set_roles(roles);
    const std::string req = "GET /x HTTP/1.1\r\nHost: h\r\n\r\n";
    const std::string resp = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    int64_t ts = 1'000'000'000;
    auto feed = [&](const Bytes &b) { t.on_segment(decoded(b), ts += 1'000'000); };
    feed(ipv4_packet(1, 2, 40000, 80, 99, tcp_flag::syn, ""));
    feed(ipv4_packet(2, 1, 80, 40000, 499, tcp_flag::syn | tcp_flag::ack, ""));
    feed(ipv4_packet(1, 2, 40000, 80, 100, tcp_flag::ack, req));
    feed(ipv4_packet(2, 1, 80, 40000, 500, tcp_flag::ack, resp));
    CHECK(out.h.size() == 1);
    feed(ipv4_packet(1, 2, 40000, 80, 100 + static_cast<uint32_t>(req.size()),
                     tcp_flag::fin | tcp_flag::ack, ""));
    CHECK(t.size() == 1);
    feed(ipv4_packet(2, 1, 80, 40000, 500 + static_cast<uint32_t>(resp.size()),
                     tcp_flag::fin | tcp_flag::ack, ""));
    CHECK(t.size() == 0);
    feed(ipv4_packet(1, 2, 40000, 80, 200, tcp_flag::ack, "")); // the last ACK opens nothing
    CHECK(t.size() == 0);
    REQUIRE(out.h.size() == 1);
    CHECK(out.h[0].url == "/x");
    CHECK(out.h[0].status == 200);
    CHECK(to_string(out.h[0].ep.client) == "10.0.0.1");
    CHECK(out.h[0].ep.server_port == 80);
    REQUIRE(out.t.size() == 1);
    CHECK(out.t[0].end == TcpEnd::fin);
    CHECK(out.t[0].client_bytes == req.size());
    CHECK(out.t[0].server_bytes == resp.size());
    CHECK(out.t[0].client_packets == 3);
    CHECK(out.t[0].server_packets == 3);
    CHECK(out.t[0].duration_ms == Approx(5.0));
}

TEST_CASE("tcpdump flows: RST, idle timeout, eviction, unwatched ports") {
    Records out;
    FlowConfig cfg;
    cfg.max_flows = 2;
    cfg.timeout_ns = 10'000'000'000;
    FlowTable t(cfg, out);
    PortRoles roles;
    roles[5432] = PortRole{false, true, false, "tcp"};
    t.set_roles(roles);
    t.on_segment(decoded(ipv4_packet(1, 2, 1001, 5432, 1, tcp_flag::ack, "q")), 1);
    t.on_segment(decoded(ipv4_packet(2, 1, 5432, 1001, 1, tcp_flag::rst, "")), 2);
    REQUIRE(out.t.size() == 1);
    CHECK(out.t[0].end == TcpEnd::rst);
    t.on_segment(decoded(ipv4_packet(1, 2, 1002, 5432, 1, tcp_flag::ack, "a")), 100);
    t.on_segment(decoded(ipv4_packet(1, 2, 1003, 5432, 1, tcp_flag::ack, "b")), 200);
    t.on_segment(decoded(ipv4_packet(1, 2, 1002, 5432, 2, tcp_flag::ack, "c")), 300);
    t.on_segment(decoded(ipv4_packet(1, 2, 1004, 5432, 1, tcp_flag::ack, "d")), 400);
    REQUIRE(out.t.size() == 2); // 1003 was the least recently active
    CHECK(out.t[1].ep.client_port == 1003);
    CHECK(out.t[1].end == TcpEnd::evicted);
    CHECK(t.counters().flows_evicted == 1);
    t.expire(300 + cfg.timeout_ns);
    REQUIRE(out.t.size() == 3);
    CHECK(out.t[2].ep.client_port == 1002);
    CHECK(out.t[2].end == TcpEnd::timeout);
    t.close_all(500, TcpEnd::capture_end);
    REQUIRE(out.t.size() == 4);
    CHECK(out.t[3].end == TcpEnd::capture_end);
    t.on_segment(decoded(ipv4_packet(1, 2, 1005, 9999, 1, tcp_flag::ack, "x")), 600);
    CHECK(t.size() == 0);
    CHECK(t.counters().segments_unwatched == 1);
}

TEST_CASE("tcpdump flows: both ports watched; a process port without HTTP gets a TCP record") {
    Records out;
    FlowTable t(FlowConfig{}, out);
    ProcessPorts procs;
    procs.ports[9092] = "kafka";
    TcpdumpOptions o;
    o.http_ports = {8080};
    t.set_roles(port_roles(o, procs));
    CHECK(port_set(t.roles()) == std::set<uint16_t>{8080, 9092});
    // From 8080 to 9092: the SYN says who calls.
    t.on_segment(decoded(ipv4_packet(1, 2, 8080, 9092, 10, tcp_flag::syn, "")), 1);
    t.on_segment(decoded(ipv4_packet(1, 2, 8080, 9092, 11, tcp_flag::ack, "\x00\x01kafka")), 2);
    t.close_all(3, TcpEnd::capture_end);
    REQUIRE(out.t.size() == 1);
    CHECK(out.t[0].type == "kafka");
    CHECK(out.t[0].ep.client_port == 8080);
    CHECK(out.h.empty());
}

TEST_CASE("tcpdump records: JSON is valid whatever the bytes, original is Key:value lines") {
    HttpRecord r;
    r.ts_ns = 1700000000123456789;
    r.ep.client.family = r.ep.server.family = 4;
    r.ep.client.bytes[0] = 127;
    r.ep.client.bytes[3] = 1;
    r.ep.server.bytes[0] = 127;
    r.ep.server.bytes[3] = 2;
    r.ep.client_port = 5555;
    r.ep.server_port = 80;
    r.method = "GET";
    r.url = std::string("/a\"b\\c\x01\xff\xc3\xa9\n", 11);
    r.host = "h";
    r.status = 200;
    r.latency_ms = 1.5;
    r.req_bytes = 10;
    r.resp_bytes = 20;
    r.type = "http";
    std::string json;
    encode(r, Format::json, json);
    rapidjson::Document d;
    d.Parse(json.c_str(), json.size());
    REQUIRE_FALSE(d.HasParseError());
    CHECK(std::string(d["ts"].GetString()) == "2023-11-14T22:13:20.123456Z");
    CHECK(std::string(d["src"].GetString()) == "127.0.0.1");
    CHECK(d["dst_port"].GetInt() == 80);
    // The byte that is not UTF-8 becomes U+FFFD, as in every plugin's JSON (json_string.hpp).
    CHECK(std::string(d["url"].GetString()) == "/a\"b\\c\x01\xef\xbf\xbd\xc3\xa9\n");
    CHECK(d["status"].GetInt() == 200);
    CHECK(d["latency_ms"].GetDouble() == Approx(1.5));
    CHECK(d["req_bytes"].GetInt() == 10);
    CHECK(std::string(d["type"].GetString()) == "http");
    r.status = 0;
    r.latency_ms = -1;
    json.clear();
    encode(r, Format::json, json);
    d.Parse(json.c_str(), json.size());
    CHECK(d["status"].IsNull());
    CHECK(d["latency_ms"].IsNull());
    std::string text;
    r.url = "/x\ny";
    encode(r, Format::original, text);
    CHECK(text == "SrcIp:127.0.0.1\nSrcPort:5555\nDstIp:127.0.0.2\nDstPort:80\nMethod:GET\n"
                  "Url:/x y\nHost:h\nStatus:\nLatencyMs:\nReqBytes:10\nRespBytes:20\n"
                  "PackageType:http\nTime:2023-11-14T22:13:20.123456Z");
    TcpRecord c;
    c.ep = r.ep;
    c.end = TcpEnd::timeout;
    c.type = "tcp";
    json.clear();
    encode(c, Format::json, json);
    d.Parse(json.c_str(), json.size());
    REQUIRE_FALSE(d.HasParseError());
    CHECK(std::string(d["end"].GetString()) == "timeout");
}

TEST_CASE("tcpdump capture filter") {
    CHECK(capture_filter({80, 8080}, "") == "tcp and (port 80 or port 8080)");
    CHECK(capture_filter({80}, "host 10.0.0.1") == "tcp and (port 80) and (host 10.0.0.1)");
    CHECK(capture_filter({}, "") == "tcp and less 1");
}

TEST_CASE("tcpdump proc: listening sockets and process ports from a fake /proc") {
    const std::string tcp =
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
        "timeout inode\n"
        "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  0 0 "
        "11111 1 0000000000000000 100 0 0 10 0\n"
        "   1: 0100007F:D431 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  0 0 "
        "22222 1 0000000000000000 20 4 30 10 -1\n";
    const auto socks = parse_listen_sockets(tcp);
    REQUIRE(socks.size() == 1);
    CHECK(socks[0].port == 8080);
    CHECK(socks[0].inode == 11111);
    CHECK(comm_matches("python3", "python3"));
    CHECK(comm_matches("very_long_proce", "very_long_process_name"));
    CHECK_FALSE(comm_matches("python", "python3"));

    mafio::test::TempDir dir;
    namespace fs = std::filesystem;
    const fs::path root = dir.path();
    fs::create_directories(root / "net");
    std::ofstream(root / "net/tcp") << tcp;
    std::ofstream(root / "net/tcp6") << "header\n";
    fs::create_directories(root / "42/fd");
    std::ofstream(root / "42/comm") << "myserver\n";
    REQUIRE(symlink("socket:[11111]", (root / "42/fd/3").c_str()) == 0);
    REQUIRE(symlink("/dev/null", (root / "42/fd/0").c_str()) == 0);
    fs::create_directories(root / "43/fd");
    std::ofstream(root / "43/comm") << "other\n";
    REQUIRE(symlink("socket:[22222]", (root / "43/fd/3").c_str()) == 0);
    const ProcessPorts p = resolve_process_ports(root.string(), {"myserver", "absent"});
    CHECK(p.ports == std::map<uint16_t, std::string>{{8080, "myserver"}});
    CHECK(p.running == std::set<std::string>{"myserver"});
}

TEST_CASE("tcpdump options: the original's names and string-typed numbers") {
    mafio::Options o(R"({"http_ports": "80,8080", "tcp_ports": [5432, "6379"],
                         "snaplen": "1500", "ttl_per_minutes": "10", "format": "original"})",
                     "inputs[0]");
    const TcpdumpOptions t = read_options(o);
    CHECK(t.http_ports == std::vector<uint16_t>{80, 8080});
    CHECK(t.tcp_ports == std::vector<uint16_t>{5432, 6379});
    CHECK(t.snaplen == 1500);
    CHECK(t.ttl_s == 600);
    CHECK(t.format == Format::original);
    CHECK(t.live());

    auto refused = [](const char *json) {
        try {
            mafio::Options bad(json, "inputs[0]");
            read_options(bad);
        } catch (const mafio::Error &e) {
            return std::string(e.what());
        }
        return std::string();
    };
    CHECK(refused(R"({"http_ports": 80, "ttl_per_minutes": 51})") ==
          "inputs[0].ttl_per_minutes: expected an integer from 0 to 50 (a number, or a string of "
          "digits such as \"50\"), got 51");
    CHECK(refused(R"({"http_ports": "80,x"})").find("inputs[0].http_ports: expected an integer") ==
          0);
    CHECK(refused(R"({"http_ports": 80, "ttl": "1m", "ttl_per_minutes": 1})")
              .find("set either ttl or ttl_per_minutes") != std::string::npos);
    CHECK(refused(R"({})").find("nothing to capture") != std::string::npos);
    CHECK(refused(R"({"http_ports": 80, "read_file": "x.pcap", "interfaces": "lo"})")
              .find("inputs[0].read_file") == 0);
}
