// Packet decoding for tcpdump:V1: link layer (Ethernet, Linux cooked SLL/SLL2, BSD loopback,
// raw IP), IPv4, IPv6 and TCP, down to one TCP segment. Pure: no libpcap, no allocation, so the
// unit tests and the fuzz target feed it bytes directly.
#pragma once

#include <cstdint>
#include <string>

namespace tcpdump_v1 {

// An IPv4 or IPv6 address; IPv4 uses the first 4 bytes.
struct Address {
    uint8_t family = 0; // 4 or 6
    uint8_t bytes[16] = {};
    bool operator==(const Address &o) const;
};
std::string to_string(const Address &a);

namespace tcp_flag {
constexpr uint8_t fin = 0x01, syn = 0x02, rst = 0x04, ack = 0x10;
}

struct Segment {
    Address src, dst;
    uint16_t src_port = 0, dst_port = 0;
    uint32_t seq = 0;
    uint8_t flags = 0;
    const uint8_t *payload = nullptr;
    uint32_t captured = 0; // payload bytes present in the capture
    uint32_t length = 0;   // payload bytes on the wire (more than captured under a short snaplen)
};

enum class Decoded {
    segment,     // `out` holds a TCP segment
    not_tcp,     // another protocol (ARP, UDP, ICMP...): ignored
    fragment,    // an IP fragment: not reassembled, counted
    malformed,   // truncated or inconsistent headers
    unknown_link // a link type this decoder does not know
};

// Link types as pcap_datalink() and pcap files name them.
namespace link {
constexpr int null = 0, ethernet = 1, raw = 12, raw_openbsd = 14, loop = 108, raw_file = 101,
              linux_sll = 113, ipv4 = 228, ipv6 = 229, linux_sll2 = 276;
}
bool link_supported(int linktype);

Decoded decode(int linktype, const uint8_t *data, uint32_t caplen, Segment &out);

} // namespace tcpdump_v1
