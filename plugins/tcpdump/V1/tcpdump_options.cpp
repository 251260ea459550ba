#include "tcpdump_options.hpp"

namespace tcpdump_v1 {

namespace {

constexpr int64_t kMaxTtlPerMinutes = 50; // the original's bound

std::vector<uint16_t> ports(mafio::Options &o, const char *key) {
    std::vector<uint16_t> out;
    for (int64_t p : o.lenient_integers(key, 1, 65535))
        out.push_back(static_cast<uint16_t>(p));
    return out;
}

} // namespace

TcpdumpOptions read_options(mafio::Options &o) {
    TcpdumpOptions t;
    const std::string at = o.where() + ".";
    t.interfaces = o.strings("interfaces");
    t.http_ports = ports(o, "http_ports");
    t.tcp_ports = ports(o, "tcp_ports");
    t.target_processes = o.strings("target_processes");
    t.process_refresh_s = o.seconds("process_refresh", t.process_refresh_s);
    if (t.process_refresh_s < 1)
        throw mafio::Error(at + "process_refresh: expected at least 1s, got " +
                           std::to_string(t.process_refresh_s) + "s");
    t.snaplen = static_cast<int>(o.lenient_integer("snaplen", t.snaplen, 64, 262144));
    const bool has_ttl = o.has("ttl"), has_minutes = o.has("ttl_per_minutes");
    if (has_ttl && has_minutes)
        throw mafio::Error(at + "ttl_per_minutes: set either ttl or ttl_per_minutes, not both");
    t.ttl_s = o.seconds("ttl", 0);
    if (has_minutes)
        t.ttl_s = 60.0 * static_cast<double>(
                             o.lenient_integer("ttl_per_minutes", 0, 0, kMaxTtlPerMinutes));
    t.bpf = o.string("bpf", "");
    t.promiscuous = o.boolean("promiscuous", false);
    t.read_file = o.string("read_file", "");
    t.buffer_size = o.size("buffer_size", t.buffer_size, 65536, 1ull << 31);
    t.format = o.choice("format", "json", {"json", "original"}) == "json" ? Format::json
                                                                          : Format::original;
    t.max_flows = static_cast<size_t>(o.lenient_integer("max_flows", 10000, 1, 10000000));
    t.max_request_head_bytes =
        o.size("max_request_head_bytes", t.max_request_head_bytes, 256, 16u << 20);
    t.max_out_of_order_bytes =
        o.size("max_out_of_order_bytes", t.max_out_of_order_bytes, 4096, 64u << 20);
    t.flow_timeout_s = o.seconds("flow_timeout", t.flow_timeout_s);
    if (t.flow_timeout_s < 1)
        throw mafio::Error(at + "flow_timeout: expected at least 1s, got " +
                           std::to_string(t.flow_timeout_s) + "s");
    t.max_pending_records = static_cast<size_t>(o.lenient_integer(
        "max_pending_records", static_cast<int64_t>(t.max_pending_records), 16, 10000000));
    if (t.http_ports.empty() && t.tcp_ports.empty() && t.target_processes.empty())
        throw mafio::Error(at + "http_ports: nothing to capture; set http_ports, tcp_ports or "
                                "target_processes (e.g. \"http_ports\": [80, 8080])");
    if (!t.read_file.empty() && !t.interfaces.empty())
        throw mafio::Error(at + "read_file: reads a capture file; remove interfaces, which is "
                                "for live capture");
    return t;
}

const char *const kSchema =
    R"J({"type":"object","additionalProperties":false,"properties":{)J"
    R"J("interfaces":{"type":["string","array"],"items":{"type":"string"},"description":"interfaces to capture on; \"any\" for all at once; default: every interface that is up, loopback included"},)J"
    R"J("http_ports":{"type":["integer","string","array"],"description":"server ports whose HTTP requests become records (numbers or strings, \"80,8080\" too)"},)J"
    R"J("tcp_ports":{"type":["integer","string","array"],"description":"server ports whose TCP connections become records, one per connection when it ends"},)J"
    R"J("target_processes":{"type":["string","array"],"items":{"type":"string"},"description":"process names (comm) whose listening ports are watched as HTTP ports; the record's type is the name"},)J"
    R"J("process_refresh":{"type":["number","string"],"default":"30s","description":"how often target_processes are looked up again; the capture filter follows their ports"},)J"
    R"J("snaplen":{"type":["integer","string"],"default":65535,"description":"bytes kept of each packet"},)J"
    R"J("ttl":{"type":["number","string"],"description":"stop capturing after this long (e.g. \"10m\"); the input then ends"},)J"
    R"J("ttl_per_minutes":{"type":["integer","string"],"maximum":50,"description":"the original's ttl, in minutes (at most 50)"},)J"
    R"J("bpf":{"type":"string","description":"an extra pcap filter ANDed with the generated one"},)J"
    R"J("promiscuous":{"type":"boolean","default":false},)J"
    R"J("read_file":{"type":"string","description":"a .pcap or .pcapng file to read instead of capturing live; the input ends after it"},)J"
    R"J("buffer_size":{"type":["integer","string"],"default":"32MiB","description":"the kernel capture buffer per interface"},)J"
    R"J("format":{"enum":["json","original"],"default":"json","description":"original: the original agent's multi-line Key:value text"},)J"
    R"J("max_flows":{"type":["integer","string"],"default":10000,"description":"connections tracked at once; the least recently active is closed to make room"},)J"
    R"J("max_request_head_bytes":{"type":["integer","string"],"default":"64KiB","description":"longest request or response head kept per direction"},)J"
    R"J("max_out_of_order_bytes":{"type":["integer","string"],"default":"256KiB","description":"bytes held per direction while waiting for a missing segment"},)J"
    R"J("flow_timeout":{"type":["number","string"],"default":"2m","description":"an idle connection is closed after this long"},)J"
    R"J("max_pending_records":{"type":["integer","string"],"default":65536,"description":"records waiting for the pipeline; beyond it they are dropped and counted (dropped_pipeline_full)"})J"
    R"J(}})J";

} // namespace tcpdump_v1
