// The pcap filter: TCP to or from every watched port, ANDed with the operator's `bpf`.
#pragma once

#include <cstdint>
#include <set>
#include <string>

namespace tcpdump_v1 {

inline std::string capture_filter(const std::set<uint16_t> &ports, const std::string &extra) {
    std::string f;
    if (ports.empty()) {
        f = "tcp and less 1"; // nothing to watch yet (target processes not running): no packet
    } else {
        f = "tcp and (";
        bool first = true;
        for (uint16_t p : ports) {
            f += first ? "port " : " or port ";
            f += std::to_string(p);
            first = false;
        }
        f += ")";
    }
    if (!extra.empty()) f += " and (" + extra + ")";
    return f;
}

} // namespace tcpdump_v1
