// Every TCP connection the capture sees on a watched port: which side is the client, one
// reassembler per direction, the HTTP session of HTTP ports, the byte and packet counts of
// tcp_ports. Bounded: at most max_flows connections (the least recently active is closed to
// make room, counted), each idle for flow_timeout is closed (counted), and each holds at most
// max_head bytes of unfinished head and max_out_of_order bytes of early segments per direction.
// Time is the packets' capture time, so a pcap file replays exactly as it was captured.
#pragma once

#include "http_session.hpp"
#include "packet.hpp"
#include "reassembly.hpp"
#include "records.hpp"

#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <unordered_map>

namespace tcpdump_v1 {

// What a server port is watched for.
struct PortRole {
    bool http = false;    // parse HTTP requests (http_ports, target processes)
    bool tcp = false;     // a record per connection (tcp_ports)
    bool process = false; // a target process's port: a record per connection without HTTP
    std::string type;     // "http", or the process name
};
using PortRoles = std::unordered_map<uint16_t, PortRole>;

struct FlowConfig {
    size_t max_flows = 10000;
    size_t max_head = 64 * 1024;
    size_t max_out_of_order = 256 * 1024;
    size_t max_pending_requests = 64;
    int64_t timeout_ns = int64_t{120} * 1000000000;
};

struct FlowCounters {
    ReassemblyCounters stream;
    SessionCounters http;
    uint64_t flows_opened = 0, flows_expired = 0, flows_evicted = 0;
    uint64_t segments_unwatched = 0; // neither port watched (an extra bpf let it through)
};

class FlowTable {
public:
    FlowTable(const FlowConfig &cfg, RecordSink &sink);
    ~FlowTable();
    FlowTable(const FlowTable &) = delete;
    FlowTable &operator=(const FlowTable &) = delete;

    // Connections already open keep the role they started with.
    void set_roles(PortRoles roles) { roles_ = std::move(roles); }
    const PortRoles &roles() const { return roles_; }

    void on_segment(const Segment &s, int64_t ts_ns);
    // Closes the connections idle since before now - timeout.
    void expire(int64_t now_ns);
    // Closes every connection (the capture ends).
    void close_all(int64_t ts_ns, TcpEnd why);
    size_t size() const { return flows_.size(); }
    const FlowCounters &counters() const { return counters_; }

private:
    struct Key {
        Address client, server;
        uint16_t client_port, server_port;
        bool operator==(const Key &o) const {
            return client_port == o.client_port && server_port == o.server_port &&
                   client == o.client && server == o.server;
        }
    };
    struct KeyHash {
        size_t operator()(const Key &k) const;
    };
    struct Flow;
    using FlowMap = std::unordered_map<Key, std::unique_ptr<Flow>, KeyHash>;

    Flow *find_or_open(const Segment &s, bool &from_client, int64_t ts_ns);
    void close(FlowMap::iterator it, int64_t ts_ns, TcpEnd why);

    FlowConfig cfg_;
    RecordSink &sink_;
    PortRoles roles_;
    FlowMap flows_;
    std::list<Key> lru_; // least recently active first
    FlowCounters counters_;
};

} // namespace tcpdump_v1
