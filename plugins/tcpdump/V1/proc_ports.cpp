#include "proc_ports.hpp"

#include <cstdio>
#include <cstdlib>
#include <dirent.h>
#include <fstream>
#include <sstream>
#include <unistd.h>
#include <unordered_map>

namespace tcpdump_v1 {

namespace {

std::string read_all(const std::string &path) {
    std::ifstream in(path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

bool all_digits(const char *s) {
    if (!*s) return false;
    for (; *s; ++s)
        if (*s < '0' || *s > '9') return false;
    return true;
}

} // namespace

std::vector<ListenSocket> parse_listen_sockets(const std::string &text) {
    // "  sl  local_address rem_address   st tx_queue:rx_queue tr:tm->when retrnsmt   uid
    //  timeout inode": the local address ends in ":PORT" (hex), st is hex, inode is the 10th.
    std::vector<ListenSocket> out;
    std::istringstream lines(text);
    std::string line;
    std::getline(lines, line); // header
    while (std::getline(lines, line)) {
        std::istringstream f(line);
        std::string sl, local, remote, st, queues, timer, retr, uid, timeout, inode;
        if (!(f >> sl >> local >> remote >> st >> queues >> timer >> retr >> uid >> timeout >>
              inode))
            continue;
        if (st != "0A") continue;
        const size_t colon = local.rfind(':');
        if (colon == std::string::npos) continue;
        char *end = nullptr;
        const unsigned long port = std::strtoul(local.c_str() + colon + 1, &end, 16);
        if (*end || port == 0 || port > 65535) continue;
        const unsigned long long ino = std::strtoull(inode.c_str(), &end, 10);
        if (*end || ino == 0) continue;
        out.push_back({ino, static_cast<uint16_t>(port)});
    }
    return out;
}

bool comm_matches(const std::string &comm, const std::string &name) {
    constexpr size_t kCommMax = 15; // TASK_COMM_LEN - 1
    if (comm == name) return true;
    return comm.size() == kCommMax && name.size() > kCommMax &&
           name.compare(0, kCommMax, comm) == 0;
}

ProcessPorts resolve_process_ports(const std::string &root, const std::vector<std::string> &names) {
    ProcessPorts out;
    if (names.empty()) return out;
    std::unordered_map<uint64_t, uint16_t> listening;
    for (const char *table : {"/net/tcp", "/net/tcp6"})
        for (const auto &s : parse_listen_sockets(read_all(root + table)))
            listening.emplace(s.inode, s.port);
    DIR *proc = opendir(root.c_str());
    if (!proc) return out;
    while (dirent *e = readdir(proc)) {
        if (!all_digits(e->d_name)) continue;
        const std::string pid_dir = root + "/" + e->d_name;
        std::string comm = read_all(pid_dir + "/comm");
        while (!comm.empty() && comm.back() == '\n')
            comm.pop_back();
        const std::string *name = nullptr;
        for (const auto &n : names)
            if (comm_matches(comm, n)) name = &n;
        if (!name) continue;
        out.running.insert(*name);
        DIR *fds = opendir((pid_dir + "/fd").c_str());
        if (!fds) continue;
        while (dirent *fd = readdir(fds)) {
            if (!all_digits(fd->d_name)) continue;
            char target[64];
            const std::string link = pid_dir + "/fd/" + fd->d_name;
            const ssize_t n = readlink(link.c_str(), target, sizeof target - 1);
            if (n <= 0) continue;
            target[n] = '\0';
            unsigned long long ino = 0;
            if (std::sscanf(target, "socket:[%llu]", &ino) != 1) continue;
            if (auto it = listening.find(ino); it != listening.end())
                out.ports.emplace(it->second, *name);
        }
        closedir(fds);
    }
    closedir(proc);
    return out;
}

} // namespace tcpdump_v1
