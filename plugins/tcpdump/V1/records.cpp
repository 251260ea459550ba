#include "records.hpp"

#include "../../common/json_string.hpp"

#include <cinttypes>
#include <cstdio>
#include <ctime>

namespace tcpdump_v1 {

namespace {

// Strings (URLs are bytes) are escaped as every plugin's JSON is: control bytes escaped, valid
// UTF-8 kept, each invalid byte replaced by U+FFFD, so the record is always valid JSON.
using mafio_plugins::append_json_string;

void key(const char *k, std::string &out) {
    out += out.back() == '{' ? "\"" : ",\"";
    out += k;
    out += "\":";
}

void num(const char *k, uint64_t v, std::string &out) {
    key(k, out);
    out += std::to_string(v);
}

void millis(double ms, std::string &out) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", ms);
    out += buf;
}

// Original text values are single-line: a CR or LF inside would split a key.
void text(const std::string &s, std::string &out) {
    for (char c : s)
        out += (c == '\n' || c == '\r') ? ' ' : c;
}

} // namespace

const char *to_string(TcpEnd e) {
    switch (e) {
    case TcpEnd::fin:
        return "fin";
    case TcpEnd::rst:
        return "rst";
    case TcpEnd::timeout:
        return "timeout";
    case TcpEnd::evicted:
        return "evicted";
    case TcpEnd::capture_end:
        return "capture_end";
    }
    return "?";
}

std::string rfc3339(int64_t ts_ns) {
    const time_t secs = static_cast<time_t>(ts_ns / 1000000000);
    const long micros = static_cast<long>((ts_ns % 1000000000) / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, micros);
    return buf;
}

namespace {

// The first keys of both record kinds: who talked to whom (in JSON after the time).
void original_endpoints(const Endpoints &ep, std::string &out) {
    out += "SrcIp:" + to_string(ep.client) + "\nSrcPort:" + std::to_string(ep.client_port);
    out += "\nDstIp:" + to_string(ep.server) + "\nDstPort:" + std::to_string(ep.server_port);
}

void json_head(int64_t ts_ns, const Endpoints &ep, std::string &out) {
    out += "{\"ts\":\"" + rfc3339(ts_ns) + "\"";
    key("src", out);
    append_json_string(out, to_string(ep.client));
    num("src_port", ep.client_port, out);
    key("dst", out);
    append_json_string(out, to_string(ep.server));
    num("dst_port", ep.server_port, out);
}

} // namespace

void encode(const HttpRecord &r, Format f, std::string &out) {
    if (f == Format::original) {
        original_endpoints(r.ep, out);
        out += "\nMethod:";
        text(r.method, out);
        out += "\nUrl:";
        text(r.url, out);
        out += "\nHost:";
        text(r.host, out);
        out += "\nStatus:" + (r.status ? std::to_string(r.status) : std::string());
        out += "\nLatencyMs:";
        if (r.latency_ms >= 0) millis(r.latency_ms, out);
        out += "\nReqBytes:" + std::to_string(r.req_bytes);
        out += "\nRespBytes:" + std::to_string(r.resp_bytes);
        out += "\nPackageType:";
        text(r.type, out);
        out += "\nTime:" + rfc3339(r.ts_ns);
        return;
    }
    json_head(r.ts_ns, r.ep, out);
    key("method", out);
    append_json_string(out, r.method);
    key("url", out);
    append_json_string(out, r.url);
    key("host", out);
    append_json_string(out, r.host);
    key("status", out);
    out += r.status ? std::to_string(r.status) : "null";
    key("latency_ms", out);
    if (r.latency_ms >= 0)
        millis(r.latency_ms, out);
    else
        out += "null";
    num("req_bytes", r.req_bytes, out);
    num("resp_bytes", r.resp_bytes, out);
    key("type", out);
    append_json_string(out, r.type);
    out += '}';
}

void encode(const TcpRecord &r, Format f, std::string &out) {
    if (f == Format::original) {
        original_endpoints(r.ep, out);
        out += "\nSentBytes:" + std::to_string(r.client_bytes);
        out += "\nRecvBytes:" + std::to_string(r.server_bytes);
        out += "\nSentPackets:" + std::to_string(r.client_packets);
        out += "\nRecvPackets:" + std::to_string(r.server_packets);
        out += "\nDurationMs:";
        millis(r.duration_ms, out);
        out += std::string("\nEnd:") + to_string(r.end);
        out += "\nPackageType:";
        text(r.type, out);
        out += "\nTime:" + rfc3339(r.ts_ns);
        return;
    }
    json_head(r.ts_ns, r.ep, out);
    num("client_bytes", r.client_bytes, out);
    num("server_bytes", r.server_bytes, out);
    num("client_packets", r.client_packets, out);
    num("server_packets", r.server_packets, out);
    key("duration_ms", out);
    millis(r.duration_ms, out);
    key("end", out);
    append_json_string(out, to_string(r.end));
    key("type", out);
    append_json_string(out, r.type);
    out += '}';
}

} // namespace tcpdump_v1
