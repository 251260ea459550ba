// The capture thread. emit() blocks while the pipeline is full, and a capture cannot be paused
// (the kernel drops what is not read), so capture, reassembly and parsing run on a thread of
// their own that never waits for the pipeline: it sleeps in poll(2) on the pcap descriptors
// (pcap_get_selectable_fd) and a stop eventfd, with a timeout for the next flow expiry, process
// refresh, stats check or ttl. Records go through the PendingQueue; the input's poll() emits
// them and sleeps in the host's poll on the queue's eventfd, so an idle capture costs nothing.
// A file (read_file) is read at the pipeline's pace instead and ends the input at its end.
#pragma once

#include "flow_table.hpp"
#include "metrics.hpp"
#include "pcap_handle.hpp"
#include "pending_queue.hpp"
#include "records.hpp"
#include "tcpdump_options.hpp"

#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace tcpdump_v1 {

class CaptureEngine final : private RecordSink {
public:
    CaptureEngine(const TcpdumpOptions &o, const mafio::Host &host, const Metrics &m,
                  PendingQueue &queue);
    ~CaptureEngine() override;

    // [main], at start: opens every handle and sets the filter; throws mafio::Error.
    void open();
    // The thread's body: until stop(), the ttl, the end of the file, or a fatal error.
    void run();
    // Any thread: asks run() to end soon.
    void request_stop();
    // Set when run() ended on an error; read after queue.done().
    std::string failure() const;

private:
    void http(HttpRecord &&r) override;
    void tcp(TcpRecord &&r) override;
    void push(std::string &&bytes, int64_t ts);
    static void on_packet(void *self, int64_t ts, const uint8_t *d, uint32_t caplen, uint32_t len);
    void run_live();
    void run_file();
    void refresh_processes(bool first);
    bool apply_filter(std::string &err);
    void check_drops();
    void publish();

    TcpdumpOptions o_;
    mafio::Host host_;
    const Metrics &m_;
    PendingQueue &queue_;
    FlowTable flows_;
    std::vector<std::unique_ptr<PcapHandle>> handles_;
    int current_link_ = 0; // of the handle being dispatched
    std::set<uint16_t> ports_;
    std::set<std::string> missing_processes_;
    int stop_fd_ = -1;
    std::atomic<bool> stop_{false};
    std::string failure_;
    mutable std::mutex failure_mu_;
    std::string scratch_;
    // Counts not held in FlowCounters, and what was published of everything.
    struct Counts {
        uint64_t packets = 0, not_tcp = 0, malformed = 0, fragments = 0, http = 0, tcp = 0,
                 dropped_full = 0, dropped_shutdown = 0;
    } counts_, published_counts_;
    FlowCounters published_flows_;
    struct DropState {
        uint64_t drop = 0, ifdrop = 0, streak = 0;
        bool in_streak = false;
    };
    std::vector<DropState> drops_;
};

} // namespace tcpdump_v1
