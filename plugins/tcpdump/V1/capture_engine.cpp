#include "capture_engine.hpp"

#include "capture_filter.hpp"
#include "packet.hpp"
#include "permissions.hpp"
#include "port_roles.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace tcpdump_v1 {

namespace {

// Packets taken from one handle per turn, so a busy interface cannot starve the others or the
// timers.
constexpr int kPacketsPerDispatch = 1024;
constexpr int kDispatchesPerTurn = 16;
constexpr int64_t kSecond = 1000000000;
// Flows expire, drops are checked and metrics published about this often.
constexpr int64_t kHousekeeping = kSecond;

int64_t realtime_ns() {
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    return int64_t{ts.tv_sec} * kSecond + ts.tv_nsec;
}

FlowConfig flow_config(const TcpdumpOptions &o) {
    FlowConfig c;
    c.max_flows = o.max_flows;
    c.max_head = o.max_request_head_bytes;
    c.max_out_of_order = o.max_out_of_order_bytes;
    c.timeout_ns = static_cast<int64_t>(o.flow_timeout_s * 1e9);
    return c;
}

std::string join(const std::set<uint16_t> &ports) {
    std::string s;
    for (uint16_t p : ports)
        s += (s.empty() ? "" : ",") + std::to_string(p);
    return s.empty() ? "none" : s;
}

} // namespace

CaptureEngine::CaptureEngine(const TcpdumpOptions &o, const mafio::Host &host, const Metrics &m,
                             PendingQueue &queue)
    : o_(o), host_(host), m_(m), queue_(queue), flows_(flow_config(o), *this) {
    stop_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (stop_fd_ < 0)
        throw mafio::Error(std::string("cannot create an eventfd: ") + std::strerror(errno),
                           MAFIO_ERR_IO);
}

CaptureEngine::~CaptureEngine() {
    if (stop_fd_ >= 0) ::close(stop_fd_);
}

void CaptureEngine::open() {
    PcapError err;
    if (!o_.live()) {
        auto h = PcapHandle::file(o_.read_file, err);
        if (!h) throw mafio::Error("read_file: cannot read " + err.message, MAFIO_ERR_IO);
        handles_.push_back(std::move(h));
    } else {
        std::vector<std::string> names = o_.interfaces;
        const bool chosen = !names.empty();
        if (!chosen) {
            std::string lerr;
            names = up_interfaces(lerr);
            if (names.empty())
                throw mafio::Error("no interface to capture on" + (lerr.empty() ? "" : ": " + lerr),
                                   MAFIO_ERR_IO);
        }
        LiveSettings s{o_.snaplen, o_.promiscuous, o_.buffer_size};
        for (const auto &n : names) {
            err = PcapError{};
            auto h = PcapHandle::live(n, s, err);
            if (h) {
                handles_.push_back(std::move(h));
                continue;
            }
            if (err.permission) throw mafio::Error(cap_net_raw_hint(), MAFIO_ERR_IO);
            if (chosen) throw mafio::Error("interfaces: cannot capture on " + err.message);
            host_.info("not capturing on " + err.message);
        }
        if (handles_.empty()) throw mafio::Error("no interface could be opened for capture");
    }
    drops_.assign(handles_.size(), DropState{});
    refresh_processes(true);
    std::string ferr;
    if (!apply_filter(ferr)) throw mafio::Error("bpf: " + ferr);
    std::string names;
    for (const auto &h : handles_)
        names += (names.empty() ? "" : ", ") + h->name();
    host_.info((o_.live() ? "capturing on " : "reading ") + names + ", ports " + join(ports_));
}

bool CaptureEngine::apply_filter(std::string &err) {
    const std::string f = capture_filter(ports_, o_.bpf);
    for (auto &h : handles_)
        if (!h->set_filter(f, err)) {
            err = "the filter \"" + f + "\" is refused: " + err;
            return false;
        }
    host_.set(m_.watched_ports, static_cast<int64_t>(ports_.size()));
    return true;
}

void CaptureEngine::refresh_processes(bool first) {
    const ProcessPorts procs = resolve_process_ports("/proc", o_.target_processes);
    std::set<std::string> missing;
    for (const auto &n : o_.target_processes)
        if (!procs.running.count(n)) missing.insert(n);
    for (const auto &n : missing)
        if (!missing_processes_.count(n) || first)
            host_.warn("target_processes: no process named \"" + n +
                       "\" is running; its ports are watched once it is (looked up every " +
                       std::to_string(static_cast<int>(o_.process_refresh_s)) + "s)");
    for (const auto &n : missing_processes_)
        if (!missing.count(n)) host_.info("target_processes: \"" + n + "\" is running now");
    missing_processes_ = missing;
    host_.set(m_.warn_no_process, static_cast<int64_t>(missing.size()));
    PortRoles roles = port_roles(o_, procs);
    std::set<uint16_t> ports = port_set(roles);
    flows_.set_roles(std::move(roles));
    if (ports == ports_ && !first) return;
    ports_ = std::move(ports);
    if (first) return;
    std::string err;
    if (!apply_filter(err))
        host_.error("cannot update the capture filter: " + err);
    else
        host_.info("watched ports are now " + join(ports_));
}

void CaptureEngine::on_packet(void *self, int64_t ts, const uint8_t *d, uint32_t caplen,
                              uint32_t /*len*/) {
    auto &e = *static_cast<CaptureEngine *>(self);
    ++e.counts_.packets;
    Segment s;
    switch (decode(e.current_link_, d, caplen, s)) {
    case Decoded::segment:
        e.flows_.on_segment(s, ts);
        break;
    case Decoded::not_tcp:
        ++e.counts_.not_tcp;
        break;
    case Decoded::fragment:
        ++e.counts_.fragments;
        break;
    case Decoded::malformed:
    case Decoded::unknown_link:
        ++e.counts_.malformed;
        break;
    }
}

void CaptureEngine::push(std::string &&bytes, int64_t ts) {
    const bool file = !o_.live();
    if (queue_.push(PendingRecord{std::move(bytes), ts}, file && !stop_)) return;
    if (stop_)
        ++counts_.dropped_shutdown;
    else
        ++counts_.dropped_full;
}

void CaptureEngine::http(HttpRecord &&r) {
    ++counts_.http;
    scratch_.clear();
    encode(r, o_.format, scratch_);
    push(std::string(scratch_), r.ts_ns);
}

void CaptureEngine::tcp(TcpRecord &&r) {
    ++counts_.tcp;
    scratch_.clear();
    encode(r, o_.format, scratch_);
    push(std::string(scratch_), r.ts_ns);
}

void CaptureEngine::request_stop() {
    stop_ = true;
    const uint64_t one = 1;
    [[maybe_unused]] const ssize_t w = ::write(stop_fd_, &one, sizeof one);
}

std::string CaptureEngine::failure() const {
    std::lock_guard lock(failure_mu_);
    return failure_;
}

void CaptureEngine::run() {
    if (o_.live())
        run_live();
    else
        run_file();
    publish();
    queue_.finish();
}

void CaptureEngine::run_file() {
    PcapHandle &h = *handles_.front();
    current_link_ = h.linktype();
    int64_t last_ts = 0;
    struct Ctx {
        CaptureEngine *e;
        int64_t *last;
    } ctx{this, &last_ts};
    auto fn = [](void *u, int64_t ts, const uint8_t *d, uint32_t cl, uint32_t len) {
        auto *c = static_cast<Ctx *>(u);
        *c->last = std::max(*c->last, ts);
        on_packet(c->e, ts, d, cl, len);
    };
    int64_t next_expiry = 0;
    while (!stop_) {
        const int n = h.dispatch(kPacketsPerDispatch, fn, &ctx);
        if (n < 0) {
            std::lock_guard lock(failure_mu_);
            failure_ = "read_file: " + o_.read_file + ": " + h.error();
            break;
        }
        if (n == 0) break; // the end of the file
        // Idle flows expire on the file's own clock, as they would have live.
        if (last_ts >= next_expiry) {
            flows_.expire(last_ts);
            next_expiry = last_ts + kHousekeeping;
            publish();
        }
    }
    flows_.close_all(last_ts, TcpEnd::capture_end);
}

void CaptureEngine::run_live() {
    using clock = std::chrono::steady_clock;
    const auto t0 = clock::now();
    const auto ttl_end = t0 + std::chrono::nanoseconds(static_cast<int64_t>(o_.ttl_s * 1e9));
    const auto refresh_every =
        std::chrono::nanoseconds(static_cast<int64_t>(o_.process_refresh_s * 1e9));
    auto next_refresh = t0 + refresh_every;
    auto next_housekeeping = t0 + std::chrono::nanoseconds(kHousekeeping);
    std::vector<pollfd> fds;
    for (const auto &h : handles_)
        fds.push_back({h->fd(), POLLIN, 0});
    fds.push_back({stop_fd_, POLLIN, 0});
    bool ttl_reached = false;
    while (!stop_) {
        auto now = clock::now();
        if (o_.ttl_s > 0 && now >= ttl_end) {
            ttl_reached = true;
            break;
        }
        auto wake = std::min(next_refresh, next_housekeeping);
        if (o_.ttl_s > 0) wake = std::min(wake, ttl_end);
        const auto wait_ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(wake - now).count() + 1;
        const int rc =
            ::poll(fds.data(), fds.size(), static_cast<int>(std::max<int64_t>(0, wait_ms)));
        if (rc < 0 && errno != EINTR) {
            std::lock_guard lock(failure_mu_);
            failure_ = std::string("poll: ") + std::strerror(errno);
            break;
        }
        // Every handle is read at each turn: with the buffer timeout its descriptor may say
        // "readable" late, and reading an empty non-blocking handle costs one system call.
        for (size_t i = 0; i < handles_.size() && !stop_; ++i) {
            current_link_ = handles_[i]->linktype();
            for (int k = 0; k < kDispatchesPerTurn; ++k) {
                const int n = handles_[i]->dispatch(kPacketsPerDispatch, on_packet, this);
                if (n < 0) {
                    std::lock_guard lock(failure_mu_);
                    failure_ =
                        "capture on " + handles_[i]->name() + " failed: " + handles_[i]->error();
                    stop_ = true;
                }
                if (n < kPacketsPerDispatch) break;
            }
        }
        now = clock::now();
        if (now >= next_housekeeping) {
            flows_.expire(realtime_ns());
            check_drops();
            publish();
            next_housekeeping = now + std::chrono::nanoseconds(kHousekeeping);
        }
        if (!o_.target_processes.empty() && now >= next_refresh) {
            refresh_processes(false);
            next_refresh = now + refresh_every;
        }
    }
    if (ttl_reached)
        host_.info("ttl reached: capture ends after " +
                   std::to_string(static_cast<int64_t>(o_.ttl_s)) + "s");
    check_drops();
    flows_.close_all(realtime_ns(), TcpEnd::capture_end);
}

void CaptureEngine::check_drops() {
    for (size_t i = 0; i < handles_.size(); ++i) {
        uint64_t drop = 0, ifdrop = 0;
        if (!handles_[i]->stats(drop, ifdrop)) continue;
        DropState &d = drops_[i];
        const uint64_t new_drop = drop >= d.drop ? drop - d.drop : drop;
        const uint64_t new_ifdrop = ifdrop >= d.ifdrop ? ifdrop - d.ifdrop : ifdrop;
        d.drop = drop;
        d.ifdrop = ifdrop;
        host_.add(m_.pcap_drop, new_drop);
        host_.add(m_.pcap_ifdrop, new_ifdrop);
        const uint64_t lost = new_drop + new_ifdrop;
        if (lost && !d.in_streak) {
            d.in_streak = true;
            d.streak = 0;
            host_.warn("capture on " + handles_[i]->name() + ": packets are being dropped (" +
                       std::to_string(new_drop) + " by the kernel for want of buffer, " +
                       std::to_string(new_ifdrop) +
                       " by the interface); a larger buffer_size or a narrower bpf helps "
                       "(metrics pcap_dropped_packets, pcap_ifdropped_packets)");
        } else if (!lost && d.in_streak) {
            d.in_streak = false;
            host_.info("capture on " + handles_[i]->name() + ": drops stopped after " +
                       std::to_string(d.streak) + " packets");
        }
        d.streak += lost;
    }
    int64_t streaks = 0;
    for (const auto &d : drops_)
        streaks += d.in_streak ? 1 : 0;
    host_.set(m_.warn_dropping, streaks);
}

void CaptureEngine::publish() {
    auto delta = [this](mafio_metric_id id, uint64_t now, uint64_t &was) {
        host_.add(id, now - was);
        was = now;
    };
    Counts &p = published_counts_;
    // Drops before the records produced (which include them): whoever reads records_http or
    // records_tcp at some value then finds the drops among those records already counted.
    delta(m_.dropped_full, counts_.dropped_full, p.dropped_full);
    delta(m_.dropped_shutdown, counts_.dropped_shutdown, p.dropped_shutdown);
    delta(m_.packets, counts_.packets, p.packets);
    delta(m_.not_tcp, counts_.not_tcp, p.not_tcp);
    delta(m_.malformed, counts_.malformed, p.malformed);
    delta(m_.fragments, counts_.fragments, p.fragments);
    delta(m_.http_records, counts_.http, p.http);
    delta(m_.tcp_records, counts_.tcp, p.tcp);
    const FlowCounters &f = flows_.counters();
    FlowCounters &q = published_flows_;
    delta(m_.dup_bytes, f.stream.duplicate_bytes, q.stream.duplicate_bytes);
    delta(m_.ooo, f.stream.out_of_order_segments, q.stream.out_of_order_segments);
    delta(m_.gap_bytes, f.stream.gap_bytes, q.stream.gap_bytes);
    delta(m_.resyncs, f.http.parser.resyncs, q.http.parser.resyncs);
    delta(m_.heads_too_large, f.http.parser.heads_too_large, q.http.parser.heads_too_large);
    delta(m_.heads_lost, f.http.parser.heads_lost, q.http.parser.heads_lost);
    delta(m_.unmatched, f.http.unmatched_responses, q.http.unmatched_responses);
    delta(m_.unanswered, f.http.unanswered_evicted, q.http.unanswered_evicted);
    delta(m_.flows_expired, f.flows_expired, q.flows_expired);
    delta(m_.flows_evicted, f.flows_evicted, q.flows_evicted);
    host_.set(m_.flows, static_cast<int64_t>(flows_.size()));
    host_.set(m_.pending, static_cast<int64_t>(queue_.size()));
}

} // namespace tcpdump_v1
