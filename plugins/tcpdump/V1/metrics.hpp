// tcpdump:V1's metrics (README, "Packet capture (tcpdump)"). Registered at create; the capture
// thread publishes its plain counters as deltas about once a second and at its end.
#pragma once

#include <mafio/plugin.hpp>

namespace tcpdump_v1 {

struct Metrics {
    explicit Metrics(const mafio::Host &h)
        : packets(h.counter("packets_captured", "packets read from libpcap")),
          not_tcp(h.counter("packets_not_tcp", "packets that were not TCP (ignored)")),
          malformed(h.counter("packets_malformed", "packets with truncated or bad headers")),
          fragments(h.counter("packets_ip_fragments", "IP fragments (not reassembled)")),
          http_records(h.counter("records_http", "HTTP request records produced")),
          tcp_records(h.counter("records_tcp", "TCP connection records produced")),
          dropped_full(
              h.counter("dropped_pipeline_full", "records dropped because the pipeline was full")),
          dropped_shutdown(h.counter("dropped_shutdown",
                                     "records captured but not delivered when the agent stopped")),
          pcap_drop(h.counter("pcap_dropped_packets",
                              "packets the kernel dropped for want of buffer (pcap ps_drop)")),
          pcap_ifdrop(h.counter("pcap_ifdropped_packets",
                                "packets the interface dropped (pcap ps_ifdrop)")),
          warn_dropping(h.gauge("warn_capture_dropping",
                                "the kernel is dropping packets: raise buffer_size or narrow bpf")),
          dup_bytes(h.counter("tcp_duplicate_bytes", "retransmitted or overlapping bytes")),
          ooo(h.counter("tcp_out_of_order_segments", "segments that arrived early")),
          gap_bytes(h.counter("tcp_gap_bytes", "stream bytes never captured (lost, snaplen)")),
          resyncs(h.counter("http_resyncs", "times garbage or a hole made the parser skip to "
                                            "the next start line")),
          heads_too_large(
              h.counter("http_heads_too_large", "heads longer than max_request_head_bytes")),
          heads_lost(h.counter("http_heads_lost", "heads cut by a hole or by the connection end")),
          unmatched(h.counter("http_unmatched_responses", "responses to no request seen")),
          unanswered(h.counter("http_unanswered_evicted",
                               "requests emitted without waiting longer for a response")),
          flows(h.gauge("flows_active", "connections tracked now")),
          flows_expired(h.counter("flows_expired", "connections closed after flow_timeout")),
          flows_evicted(h.counter("flows_evicted", "connections closed early for max_flows")),
          watched_ports(h.gauge("watched_ports", "server ports in the capture filter")),
          warn_no_process(h.gauge("warn_target_process_missing",
                                  "a process named in target_processes is not running")),
          pending(h.gauge("pending_records", "records waiting for the pipeline")) {}

    mafio_metric_id packets, not_tcp, malformed, fragments, http_records, tcp_records, dropped_full,
        dropped_shutdown, pcap_drop, pcap_ifdrop, warn_dropping, dup_bytes, ooo, gap_bytes, resyncs,
        heads_too_large, heads_lost, unmatched, unanswered, flows, flows_expired, flows_evicted,
        watched_ports, warn_no_process, pending;
};

} // namespace tcpdump_v1
