// The watched server ports and what each is watched for, from the options and the ports the
// target processes listen on now. Rebuilt at each process refresh; the capture filter is
// rebuilt only when the port set changed.
#pragma once

#include "flow_table.hpp"
#include "proc_ports.hpp"
#include "tcpdump_options.hpp"

#include <set>

namespace tcpdump_v1 {

inline PortRoles port_roles(const TcpdumpOptions &o, const ProcessPorts &procs) {
    PortRoles roles;
    for (uint16_t p : o.http_ports) {
        roles[p].http = true;
        roles[p].type = "http";
    }
    for (uint16_t p : o.tcp_ports) {
        roles[p].tcp = true;
        if (roles[p].type.empty()) roles[p].type = "tcp";
    }
    for (const auto &[port, name] : procs.ports) {
        PortRole &r = roles[port];
        r.http = true;
        r.process = true;
        r.type = name; // the process owning the port names the traffic
    }
    return roles;
}

inline std::set<uint16_t> port_set(const PortRoles &roles) {
    std::set<uint16_t> s;
    for (const auto &kv : roles)
        s.insert(kv.first);
    return s;
}

} // namespace tcpdump_v1
