// Live capture needs CAP_NET_RAW. Checked at create, so `mafio -check` and the start both say
// so in one line, with the ways to grant it, instead of a libpcap error at the first packet.
#pragma once

#include <fstream>
#include <string>

namespace tcpdump_v1 {

constexpr int kCapNetRaw = 13; // linux/capability.h

// Whether this process's effective capability set holds CAP_NET_RAW (/proc/self/status CapEff).
inline bool has_cap_net_raw() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("CapEff:", 0) != 0) continue;
        const unsigned long long eff = std::stoull(line.substr(7), nullptr, 16);
        return (eff >> kCapNetRaw) & 1;
    }
    return false;
}

inline std::string cap_net_raw_hint() {
    return "live capture needs the CAP_NET_RAW capability, which this process lacks: run mafio "
           "as root, or grant it with `setcap cap_net_raw+ep /path/to/mafio`, or in its systemd "
           "unit with AmbientCapabilities=CAP_NET_RAW (read_file needs none)";
}

} // namespace tcpdump_v1
