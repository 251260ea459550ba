#include "packet.hpp"

#include <arpa/inet.h>
#include <cstring>

namespace tcpdump_v1 {

namespace {

uint16_t be16(const uint8_t *p) {
    return static_cast<uint16_t>(p[0] << 8 | p[1]);
}
uint32_t be32(const uint8_t *p) {
    return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
}

constexpr uint16_t kEtherIpv4 = 0x0800, kEtherIpv6 = 0x86DD, kEtherVlan = 0x8100,
                   kEtherQinQ = 0x88A8;
constexpr uint8_t kProtoTcp = 6;

// TCP header at p, `wire` bytes of TCP header + payload on the wire, `avail` of them captured.
Decoded tcp(const uint8_t *p, uint32_t avail, uint32_t wire, Segment &out) {
    if (avail < 20 || wire < 20) return Decoded::malformed;
    const uint32_t hl = static_cast<uint32_t>(p[12] >> 4) * 4;
    if (hl < 20 || hl > wire || hl > avail) return Decoded::malformed;
    out.src_port = be16(p);
    out.dst_port = be16(p + 2);
    out.seq = be32(p + 4);
    out.flags = p[13];
    out.payload = p + hl;
    out.length = wire - hl;
    out.captured = avail - hl < out.length ? avail - hl : out.length;
    return Decoded::segment;
}

Decoded ipv4(const uint8_t *p, uint32_t avail, Segment &out) {
    if (avail < 20 || (p[0] >> 4) != 4) return Decoded::malformed;
    const uint32_t ihl = static_cast<uint32_t>(p[0] & 0x0F) * 4;
    const uint32_t total = be16(p + 2);
    if (ihl < 20 || total < ihl || avail < ihl) return Decoded::malformed;
    if (p[9] != kProtoTcp) return Decoded::not_tcp;
    // More fragments, or an offset: a piece of a datagram (TCP avoids them with PMTU discovery).
    if ((be16(p + 6) & 0x3FFF) != 0) return Decoded::fragment;
    out.src = Address{};
    out.dst = Address{};
    out.src.family = out.dst.family = 4;
    std::memcpy(out.src.bytes, p + 12, 4);
    std::memcpy(out.dst.bytes, p + 16, 4);
    // total == 0 is TSO on a capture taken before segmentation: the length is what was captured.
    const uint32_t wire = total == 0 ? avail - ihl : total - ihl;
    const uint32_t have = avail - ihl < wire ? avail - ihl : wire;
    return tcp(p + ihl, have, wire, out);
}

Decoded ipv6(const uint8_t *p, uint32_t avail, Segment &out) {
    if (avail < 40 || (p[0] >> 4) != 6) return Decoded::malformed;
    uint32_t payload = be16(p + 4);
    uint8_t next = p[6];
    out.src = Address{};
    out.dst = Address{};
    out.src.family = out.dst.family = 6;
    std::memcpy(out.src.bytes, p + 8, 16);
    std::memcpy(out.dst.bytes, p + 24, 16);
    uint32_t off = 40;
    // Extension headers before TCP: hop-by-hop, routing, destination options, fragment.
    for (int i = 0; i < 8 && next != kProtoTcp; ++i) {
        if (next != 0 && next != 43 && next != 60 && next != 44) return Decoded::not_tcp;
        if (avail < off + 8) return Decoded::malformed;
        const uint32_t len = next == 44 ? 8 : (uint32_t{p[off + 1]} + 1) * 8;
        if (next == 44 && (be16(p + off + 2) & 0xFFF9) != 0) return Decoded::fragment;
        if (payload < len) return Decoded::malformed;
        next = p[off];
        off += len;
        payload -= len;
    }
    if (next != kProtoTcp) return Decoded::not_tcp;
    if (avail < off) return Decoded::malformed;
    if (payload == 0) payload = avail - off; // a jumbogram or TSO: trust the capture
    const uint32_t have = avail - off < payload ? avail - off : payload;
    return tcp(p + off, have, payload, out);
}

Decoded by_ethertype(uint16_t type, const uint8_t *p, uint32_t avail, Segment &out) {
    if (type == kEtherIpv4) return ipv4(p, avail, out);
    if (type == kEtherIpv6) return ipv6(p, avail, out);
    return Decoded::not_tcp;
}

Decoded by_version(const uint8_t *p, uint32_t avail, Segment &out) {
    if (avail < 1) return Decoded::malformed;
    if ((p[0] >> 4) == 4) return ipv4(p, avail, out);
    if ((p[0] >> 4) == 6) return ipv6(p, avail, out);
    return Decoded::not_tcp;
}

} // namespace

bool Address::operator==(const Address &o) const {
    return family == o.family && std::memcmp(bytes, o.bytes, family == 4 ? 4 : 16) == 0;
}

std::string to_string(const Address &a) {
    char buf[INET6_ADDRSTRLEN] = {};
    inet_ntop(a.family == 4 ? AF_INET : AF_INET6, a.bytes, buf, sizeof buf);
    return buf;
}

bool link_supported(int linktype) {
    switch (linktype) {
    case link::null:
    case link::ethernet:
    case link::raw:
    case link::raw_openbsd:
    case link::raw_file:
    case link::loop:
    case link::linux_sll:
    case link::linux_sll2:
    case link::ipv4:
    case link::ipv6:
        return true;
    default:
        return false;
    }
}

Decoded decode(int linktype, const uint8_t *d, uint32_t n, Segment &out) {
    switch (linktype) {
    case link::ethernet: {
        if (n < 14) return Decoded::malformed;
        uint32_t off = 12;
        uint16_t type = be16(d + off);
        while ((type == kEtherVlan || type == kEtherQinQ) && n >= off + 6) {
            off += 4;
            type = be16(d + off);
        }
        off += 2;
        if (n < off) return Decoded::malformed;
        return by_ethertype(type, d + off, n - off, out);
    }
    case link::linux_sll: // 16 bytes, protocol last
        if (n < 16) return Decoded::malformed;
        return by_ethertype(be16(d + 14), d + 16, n - 16, out);
    case link::linux_sll2: // 20 bytes, protocol first
        if (n < 20) return Decoded::malformed;
        return by_ethertype(be16(d), d + 20, n - 20, out);
    case link::null:
    case link::loop: {
        // A 4-byte address family: host order for DLT_NULL (as written by the capturing
        // machine), network order for DLT_LOOP. The IP version byte says the rest.
        if (n < 4) return Decoded::malformed;
        return by_version(d + 4, n - 4, out);
    }
    case link::raw:
    case link::raw_openbsd:
    case link::raw_file:
        return by_version(d, n, out);
    case link::ipv4:
        return ipv4(d, n, out);
    case link::ipv6:
        return ipv6(d, n, out);
    default:
        return Decoded::unknown_link;
    }
}

} // namespace tcpdump_v1
