// target_processes: the TCP ports the named processes listen on, found through /proc as the
// original did: /proc/<pid>/comm names the process, /proc/<pid>/fd/* links to "socket:[inode]",
// and /proc/net/tcp and tcp6 list the listening sockets with their inode and port. The root is a
// parameter so the tests can build a fake /proc.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace tcpdump_v1 {

struct ListenSocket {
    uint64_t inode = 0;
    uint16_t port = 0;
};

// The LISTEN rows (state 0A) of a /proc/net/tcp or tcp6 text.
std::vector<ListenSocket> parse_listen_sockets(const std::string &text);

// Whether a process whose comm is `comm` is the one named `name`. comm is cut to 15 bytes by the
// kernel, so a longer name matches on its first 15.
bool comm_matches(const std::string &comm, const std::string &name);

struct ProcessPorts {
    std::map<uint16_t, std::string> ports; // port -> the name it was found for
    std::set<std::string> running;         // names with at least one process
};

// Scans `proc_root` (normally "/proc"). Processes that vanish or cannot be read while scanned
// (another user's fds without CAP_SYS_PTRACE) are skipped.
ProcessPorts resolve_process_ports(const std::string &proc_root,
                                   const std::vector<std::string> &names);

} // namespace tcpdump_v1
