// tcpdump:V1: HTTP requests and TCP connections seen on the wire (libpcap), as the original
// agent's sniffer produced them. The pieces: packet.cpp (decoding), reassembly.cpp (TCP streams),
// http_parser.cpp and http_session.cpp (HTTP/1.x), flow_table.cpp (connections), records.cpp
// (JSON and original text), proc_ports.cpp (target_processes), pcap_handle.cpp (libpcap),
// capture_engine.cpp (the capture thread). This file only wires them to the host.
#include "capture_engine.hpp"
#include "capture_filter.hpp"
#include "metrics.hpp"
#include "pcap_handle.hpp"
#include "pending_queue.hpp"
#include "permissions.hpp"
#include "tcpdump_options.hpp"

#include <mafio/plugin.hpp>

#include <cerrno>
#include <cstring>
#include <deque>
#include <fstream>
#include <sys/eventfd.h>
#include <thread>
#include <unistd.h>

namespace tcpdump_v1 {

namespace {

// Without a host preference, a batch holds at most this many records.
constexpr uint32_t kDefaultBatch = 512;

std::string where_of(const mafio::Options &o) {
    return o.where();
}

// Refuses at create what would only fail at start, so -check says it too.
void check_environment(const TcpdumpOptions &t, const std::string &where) {
    if (!t.bpf.empty()) {
        std::string err;
        if (!filter_compiles(capture_filter({80}, t.bpf), err))
            throw mafio::Error(where + ".bpf: libpcap refuses \"" + t.bpf + "\": " + err);
    }
    if (!t.live()) {
        std::ifstream f(t.read_file, std::ios::binary);
        if (!f)
            throw mafio::Error(where + ".read_file: cannot open \"" + t.read_file +
                               "\": " + std::strerror(errno));
        return;
    }
    if (!has_cap_net_raw()) throw mafio::Error(where + ": " + cap_net_raw_hint());
    if (t.interfaces.empty()) return;
    std::string err;
    const auto known = known_interfaces(err);
    for (const auto &name : t.interfaces) {
        bool found = false;
        for (const auto &k : known)
            found = found || k == name;
        if (found) continue;
        std::string list;
        for (const auto &k : known)
            list += (list.empty() ? "" : ", ") + k;
        throw mafio::Error(where + ".interfaces: no interface \"" + name +
                           "\"; known: " + (list.empty() ? err : list));
    }
}

} // namespace

class TcpdumpInput final : public mafio::Input {
public:
    TcpdumpInput(mafio::Host host, mafio::Options &opts)
        : Input(host), opts_(read_options(opts)), metrics_(host) {
        check_environment(opts_, where_of(opts));
        notify_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (notify_fd_ < 0)
            throw mafio::Error(std::string("cannot create an eventfd: ") + std::strerror(errno),
                               MAFIO_ERR_IO);
        queue_ = std::make_unique<PendingQueue>(opts_.max_pending_records, notify_fd_);
        engine_ = std::make_unique<CaptureEngine>(opts_, host, metrics_, *queue_);
    }

    ~TcpdumpInput() override {
        stop_engine();
        if (notify_fd_ >= 0) ::close(notify_fd_);
    }

    void start(const mafio_start_args &) override {
        engine_->open();
        scheduled_ = host().watch_fd(notify_fd_);
        thread_ = std::thread([this] { engine_->run(); });
    }

    void stop() override {
        stop_engine();
        if (scheduled_) host().unwatch_fd(notify_fd_);
        scheduled_ = false;
    }

    mafio_status poll() override {
        queue_->consume_notification(); // before looking, so a push after this wakes us again
        const uint32_t max =
            host().max_batch_records() ? host().max_batch_records() : kDefaultBatch;
        items_.clear();
        queue_->pop(items_, max);
        if (items_.empty()) {
            if (!queue_->done()) return MAFIO_RETRY;
            const std::string why = engine_->failure();
            if (!why.empty()) throw mafio::Error(why, MAFIO_ERR_IO);
            return MAFIO_EOF;
        }
        uint64_t bytes = 0;
        for (const auto &r : items_)
            bytes += r.bytes.size();
        mafio_batch *b = host().new_batch(bytes, static_cast<uint32_t>(items_.size()));
        for (const auto &r : items_)
            mafio::append_record(host(), b, r.bytes, 0, r.ts_ns);
        const mafio_status st = host().emit(b);
        if (st == MAFIO_ERR_STOPPED) return MAFIO_OK; // the loop sees the stop
        return MAFIO_OK;
    }

private:
    void stop_engine() {
        if (!thread_.joinable()) return;
        engine_->request_stop();
        // A file reader may wait for room in the queue: closing it lets it go. What was
        // captured but not emitted is lost with the agent's stop: counted and said.
        size_t lost = queue_->close();
        thread_.join();
        lost += queue_->close();
        if (lost) {
            host().add(metrics_.dropped_shutdown, lost);
            host().warn(std::to_string(lost) +
                        " captured record(s) were not delivered: the agent stopped before they "
                        "reached the pipeline (metric dropped_shutdown)");
        }
    }

    TcpdumpOptions opts_;
    Metrics metrics_;
    int notify_fd_ = -1;
    std::unique_ptr<PendingQueue> queue_;
    std::unique_ptr<CaptureEngine> engine_;
    std::thread thread_;
    bool scheduled_ = false;
    std::deque<PendingRecord> items_;
};

} // namespace tcpdump_v1

MAFIO_PLUGIN(tcpdump_v1::TcpdumpInput, "tcpdump", "V1", "1.0.0",
             "HTTP requests and TCP connections captured with libpcap (live or from a pcap file)",
             tcpdump_v1::kSchema)
