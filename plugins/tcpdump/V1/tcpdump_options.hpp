// tcpdump:V1's options, read once at create. Accepts the original agent's names and its
// string-typed numbers ("snaplen": "65535", "ttl_per_minutes": "10", "http_ports": "80,8080").
#pragma once

#include "records.hpp"

#include <mafio/options.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace tcpdump_v1 {

struct TcpdumpOptions {
    std::vector<std::string> interfaces; // empty: every interface that is up
    std::vector<uint16_t> http_ports, tcp_ports;
    std::vector<std::string> target_processes;
    double process_refresh_s = 30;
    int snaplen = 65535;
    double ttl_s = 0; // 0: no limit
    std::string bpf;
    bool promiscuous = false;
    std::string read_file;
    uint64_t buffer_size = 32ull << 20;
    Format format = Format::json;
    size_t max_flows = 10000;
    size_t max_request_head_bytes = 64 * 1024;
    size_t max_out_of_order_bytes = 256 * 1024;
    double flow_timeout_s = 120;
    size_t max_pending_records = 65536;

    bool live() const { return read_file.empty(); }
};

// Throws mafio::Error naming the option path for anything out of range or inconsistent.
TcpdumpOptions read_options(mafio::Options &o);

// The schema -describe prints.
extern const char *const kSchema;

} // namespace tcpdump_v1
