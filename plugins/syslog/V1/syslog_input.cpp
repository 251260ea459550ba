// syslog:V1 — RFC 5424 and RFC 3164 messages over UDP, TCP (RFC 6587) and Unix datagram
// sockets, as raw or JSON records.
//
// Scheduling: every socket (listeners and TCP connections, however many) is registered in one
// epoll instance of this input, level-triggered, and only that epoll descriptor is watched by
// the host (mafio.fd.v1 allows 16 per instance): an idle input sleeps in the host's poll(2) and
// costs nothing. Each poll() handles what epoll reports ready, a bounded amount per socket (one
// read per connection, a few hundred datagrams per datagram socket) so that no sender starves
// the others, emits one batch and returns MAFIO_OK; a socket with more data is reported again.
//
// Backpressure: emit() blocks while the pipeline is full, and meanwhile nothing is read: TCP
// senders are slowed by TCP flow control; Unix datagram senders block (the kernel queues, never
// drops, for them); UDP datagrams the kernel drops are counted (udp_drops.hpp).
//
// Nothing blocks on one client: sockets are non-blocking, a connection that sends nothing is
// simply never reported ready, and a half-sent frame waits in that connection's framer.
#include "listen_address.hpp"
#include "record_builder.hpp"
#include "stream_framer.hpp"
#include "syslog_options.hpp"
#include "udp_drops.hpp"

#include <mafio/plugin.hpp>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <memory>
#include <netdb.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <unordered_map>
#include <vector>

namespace syslog_v1 {
namespace {

// Without the host's fd extension (an older host), poll() waits in epoll itself, and must come
// back within about 100 ms when nothing arrives.
constexpr int kUnscheduledWaitMs = 100;
constexpr int kEventsPerPoll = 64;
constexpr size_t kStreamReadBytes = 256 * 1024;
// Datagrams read from one socket per poll() before the others get their turn.
constexpr unsigned kDatagramsPerTurn = 256;
// Receive buffers of one recvmmsg call: up to 32 datagrams, and no more than 2 MiB.
constexpr size_t kDatagramBufferBytes = 2 * 1024 * 1024;
// How long accepting pauses when the process is out of descriptors (EMFILE): without the pause
// the listening socket, still readable, would be reported again at once, spinning a core.
constexpr int64_t kAcceptPauseNs = 100'000'000;

int64_t clock_ns(clockid_t id) {
    timespec ts{};
    ::clock_gettime(id, &ts);
    return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

enum class Kind { datagram, tcp_listener, connection };

struct Source {
    Kind kind;
    int fd;
};

struct Listener : Source {
    ListenAddress address;
    uint32_t drops_seen = 0;  // the socket's kernel drop count last seen (UDP)
    int64_t paused_until = 0; // monotonic ns; accepting paused (out of descriptors) while > 0
};

struct Connection : Source {
    Connection(int fd, std::string from, size_t max_bytes)
        : Source{Kind::connection, fd}, peer(std::move(from)), framer(max_bytes) {}
    std::string peer;
    StreamFramer framer;
};

std::string peer_name(const sockaddr_storage &sa, socklen_t len) {
    char host[NI_MAXHOST], port[NI_MAXSERV];
    if (::getnameinfo(reinterpret_cast<const sockaddr *>(&sa), len, host, sizeof host, port,
                      sizeof port, NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        return "?";
    return sa.ss_family == AF_INET6 ? "[" + std::string(host) + "]:" + port
                                    : std::string(host) + ":" + port;
}

class SyslogInput final : public mafio::Input {
public:
    SyslogInput(mafio::Host host, mafio::Options &o)
        : Input(host), opts_(o), records_(host, opts_.json), drops_(host),
          accepted_(host.counter("connections_accepted", "TCP connections accepted")),
          refused_(host.counter("connections_refused",
                                "TCP connections closed at once: max_connections were open")),
          open_(host.gauge("connections", "TCP connections open")) {}

    ~SyslogInput() override { close_all(); }

    void start(const mafio_start_args &) override {
        epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
        if (epoll_ < 0) throw mafio::Error(std::string("epoll_create1: ") + std::strerror(errno));
        for (const ListenAddress &a : opts_.listen) {
            auto l = std::make_unique<Listener>();
            l->kind = a.transport == Transport::tcp ? Kind::tcp_listener : Kind::datagram;
            l->address = a;
            try {
                l->fd = open_listener(a, opts_.sockets);
            } catch (const std::exception &e) {
                throw mafio::Error(e.what(), MAFIO_ERR_IO);
            }
            if (a.transport == Transport::unix_dgram) unix_paths_.push_back(a.path);
            add_to_epoll(*l);
            listeners_.push_back(std::move(l));
        }
        scheduled_ = host().watch_fd(epoll_);
        std::string where;
        for (const auto &l : listeners_)
            where += (where.empty() ? "" : ", ") + l->address.text;
        host().info("listening on " + where + (opts_.json ? " (format json)" : " (format raw)"));
    }

    void stop() override { close_all(); }

    mafio_status poll() override {
        if (epoll_ < 0) return MAFIO_EOF;
        resume_accepting();
        epoll_event events[kEventsPerPoll];
        int n;
        do {
            n = ::epoll_wait(epoll_, events, kEventsPerPoll, scheduled_ ? 0 : kUnscheduledWaitMs);
        } while (n < 0 && errno == EINTR);
        if (n < 0)
            throw mafio::Error(std::string("epoll_wait: ") + std::strerror(errno), MAFIO_ERR_IO);
        if (n == 0) return MAFIO_RETRY;
        for (int i = 0; i < n; ++i) {
            Source *s = static_cast<Source *>(events[i].data.ptr);
            switch (s->kind) {
            case Kind::datagram:
                read_datagrams(*static_cast<Listener *>(s));
                break;
            case Kind::tcp_listener:
                accept_connections(*static_cast<Listener *>(s));
                break;
            case Kind::connection:
                read_connection(*static_cast<Connection *>(s));
                break;
            }
        }
        records_.emit();
        return MAFIO_OK;
    }

private:
    void add_to_epoll(Source &s) {
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.ptr = &s;
        if (::epoll_ctl(epoll_, EPOLL_CTL_ADD, s.fd, &ev) != 0)
            throw mafio::Error(std::string("epoll_ctl: ") + std::strerror(errno), MAFIO_ERR_IO);
    }

    // ---- datagrams (UDP, Unix) ----

    void read_datagrams(Listener &l) {
        const size_t max = static_cast<size_t>(opts_.max_message_bytes);
        const unsigned vlen =
            static_cast<unsigned>(std::clamp<size_t>(kDatagramBufferBytes / max, 1, 32));
        if (dgram_buf_.empty()) {
            dgram_buf_.resize(static_cast<size_t>(vlen) * max);
            msgs_.resize(vlen);
            iovs_.resize(vlen);
            cmsg_buf_.resize(static_cast<size_t>(vlen) * kCmsgBytes);
        }
        for (unsigned got = 0; got < kDatagramsPerTurn;) {
            for (unsigned k = 0; k < vlen; ++k) {
                iovs_[k] = iovec{dgram_buf_.data() + k * max, max};
                msgs_[k] = mmsghdr{};
                msgs_[k].msg_hdr.msg_iov = &iovs_[k];
                msgs_[k].msg_hdr.msg_iovlen = 1;
                msgs_[k].msg_hdr.msg_control = cmsg_buf_.data() + k * kCmsgBytes;
                msgs_[k].msg_hdr.msg_controllen = kCmsgBytes;
            }
            const int n = ::recvmmsg(l.fd, msgs_.data(), vlen, MSG_DONTWAIT, nullptr);
            if (n <= 0) {
                if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                    host().warn("listen \"" + l.address.text +
                                "\": cannot receive: " + std::strerror(errno));
                return;
            }
            const int64_t now = clock_ns(CLOCK_REALTIME), mono = clock_ns(CLOCK_MONOTONIC);
            for (int k = 0; k < n; ++k)
                take_datagram(l, msgs_[static_cast<size_t>(k)], dgram_buf_.data() + k * max, now,
                              mono);
            got += static_cast<unsigned>(n);
            if (static_cast<unsigned>(n) < vlen) return; // the queue is empty
        }
    }

    void take_datagram(Listener &l, mmsghdr &m, const char *data, int64_t now, int64_t mono) {
        uint32_t drops = 0;
        for (cmsghdr *c = CMSG_FIRSTHDR(&m.msg_hdr); c; c = CMSG_NXTHDR(&m.msg_hdr, c))
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL)
                std::memcpy(&drops, CMSG_DATA(c), sizeof drops);
        if (l.address.transport == Transport::udp)
            drops_.observe(l.address.text, l.drops_seen, drops, mono);
        const bool truncated = (m.msg_hdr.msg_flags & MSG_TRUNC) != 0;
        std::string_view msg(data, m.msg_len);
        if (!truncated) msg = trim_frame_end(msg);
        if (msg.empty()) return;
        records_.add(msg, truncated, now);
    }

    // ---- TCP ----

    void accept_connections(Listener &l) {
        for (int k = 0; k < kEventsPerPoll; ++k) {
            sockaddr_storage sa{};
            socklen_t len = sizeof sa;
            const int fd = ::accept4(l.fd, reinterpret_cast<sockaddr *>(&sa), &len,
                                     SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) {
                if (errno == EAGAIN || errno == EWOULDBLOCK) return;
                if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                    pause_accepting(l, errno);
                    return;
                }
                continue; // ECONNABORTED, EINTR, EPROTO...: that one connection is gone
            }
            if (connections_.size() >= opts_.max_connections) {
                ::close(fd);
                host().add(refused_, 1);
                if (!refusing_)
                    host().warn("listen \"" + l.address.text +
                                "\": " + std::to_string(opts_.max_connections) +
                                " connections (max_connections) are open; new ones are closed "
                                "at once and counted in connections_refused until one ends");
                refusing_ = true;
                continue;
            }
            if (refusing_) host().info("accepting TCP connections again");
            refusing_ = false;
            auto c = std::make_unique<Connection>(fd, peer_name(sa, len),
                                                  static_cast<size_t>(opts_.max_message_bytes));
            add_to_epoll(*c);
            connections_.emplace(fd, std::move(c));
            host().add(accepted_, 1);
            host().set(open_, static_cast<int64_t>(connections_.size()));
        }
    }

    void pause_accepting(Listener &l, int err) {
        ::epoll_ctl(epoll_, EPOLL_CTL_DEL, l.fd, nullptr);
        l.paused_until = clock_ns(CLOCK_MONOTONIC) + kAcceptPauseNs;
        host().wake_at(l.paused_until);
        if (!accept_paused_logged_)
            host().warn("listen \"" + l.address.text + "\": cannot accept: " + std::strerror(err) +
                        "; pausing accepts for 100 ms at a time until "
                        "descriptors are free (waiting clients stay in the backlog)");
        accept_paused_logged_ = true;
    }

    void resume_accepting() {
        int64_t now = 0;
        for (auto &l : listeners_) {
            if (l->paused_until == 0) continue;
            if (now == 0) now = clock_ns(CLOCK_MONOTONIC);
            if (now < l->paused_until) {
                host().wake_at(l->paused_until);
                continue;
            }
            l->paused_until = 0;
            add_to_epoll(*l);
        }
    }

    void read_connection(Connection &c) {
        if (stream_buf_.empty()) stream_buf_.resize(kStreamReadBytes);
        ssize_t n;
        do {
            n = ::read(c.fd, stream_buf_.data(), stream_buf_.size());
        } while (n < 0 && errno == EINTR);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
        const int64_t now = clock_ns(CLOCK_REALTIME);
        auto sink = [&](std::string_view msg, bool truncated) {
            records_.add(msg, truncated, now);
        };
        if (n > 0) {
            c.framer.feed(std::string_view(stream_buf_.data(), static_cast<size_t>(n)), sink);
            return;
        }
        // End of stream or an error (ECONNRESET...): what was received is still delivered.
        if (n < 0) host().debug("connection from " + c.peer + ": " + std::strerror(errno));
        c.framer.finish(sink);
        close_connection(c.fd);
    }

    void close_connection(int fd) {
        ::epoll_ctl(epoll_, EPOLL_CTL_DEL, fd, nullptr);
        ::close(fd);
        connections_.erase(fd);
        host().set(open_, static_cast<int64_t>(connections_.size()));
    }

    void close_all() {
        if (epoll_ >= 0 && scheduled_) host().unwatch_fd(epoll_);
        scheduled_ = false;
        for (auto &[fd, c] : connections_)
            ::close(fd);
        connections_.clear();
        for (auto &l : listeners_)
            if (l->fd >= 0) ::close(l->fd);
        listeners_.clear();
        for (const auto &p : unix_paths_)
            ::unlink(p.c_str());
        unix_paths_.clear();
        if (epoll_ >= 0) ::close(epoll_);
        epoll_ = -1;
    }

    static constexpr size_t kCmsgBytes = 64; // room for SO_RXQ_OVFL's uint32_t and alignment

    SyslogOptions opts_;
    RecordBuilder records_;
    UdpDrops drops_;
    mafio_metric_id accepted_, refused_, open_;
    int epoll_ = -1;
    bool scheduled_ = false;
    bool refusing_ = false;
    bool accept_paused_logged_ = false;
    std::vector<std::unique_ptr<Listener>> listeners_;
    std::unordered_map<int, std::unique_ptr<Connection>> connections_;
    std::vector<std::string> unix_paths_; // sockets this input created, removed at stop
    std::vector<char> stream_buf_, dgram_buf_, cmsg_buf_;
    std::vector<mmsghdr> msgs_;
    std::vector<iovec> iovs_;
};

} // namespace
} // namespace syslog_v1

MAFIO_PLUGIN(syslog_v1::SyslogInput, "syslog", "V1", "1.0.0",
             "RFC 5424 and RFC 3164 syslog messages received over UDP, TCP (RFC 6587 framing) "
             "and Unix datagram sockets, as raw or JSON records",
             MAFIO_SYSLOG_V1_SCHEMA)
