#include "http/reception.hpp"

#include "http/http_exchange.hpp"
#include "http/request_head.hpp"
#include "util/log.hpp"

#include <Poco/Net/StreamSocketImpl.h>

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace mafio {

namespace {

// A whole response with "Connection: close", small enough to fit any socket buffer, so one
// non-blocking send either takes it all or the client is gone.
std::string raw_response(int status, const std::string &message) {
    HttpResponse r = json_error(status, message);
    return "HTTP/1.1 " + std::to_string(status) + " " + reason_phrase(status) +
           "\r\nContent-Type: application/json\r\nContent-Length: " +
           std::to_string(r.body.size()) + "\r\nConnection: close\r\n\r\n" + r.body;
}

void send_all_now(int fd, const std::string &bytes) {
    (void)!::send(fd, bytes.data(), bytes.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
}

// Wake poll() only when more than `bytes` are buffered (or at EOF/error): without this a
// connection holding an incomplete request would be readable, and looked at, all the time.
void wake_above(int fd, size_t bytes) {
    int lowat = static_cast<int>(bytes + 1);
    ::setsockopt(fd, SOL_SOCKET, SO_RCVLOWAT, &lowat, sizeof lowat);
}

} // namespace

Reception::Reception(HttpLimits limits, Dispatch dispatch)
    : limits_(limits), dispatch_(std::move(dispatch)) {
    peek_buffer_.resize(max_request_bytes(limits_) + 1);
}

Reception::~Reception() {
    stop();
}

void Reception::start(Poco::Net::ServerSocket listening) {
    listening_ = std::move(listening);
    listening_.setBlocking(false);
    wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    thread_ = std::thread([this] { loop(); });
}

void Reception::stop() {
    if (!thread_.joinable()) return;
    stop_ = true;
    uint64_t one = 1;
    (void)!::write(wake_fd_, &one, sizeof one);
    thread_.join();
    for (auto &w : waiting_)
        ::close(w.fd);
    for (auto &c : closing_)
        ::close(c.fd);
    waiting_.clear();
    closing_.clear();
    ::close(wake_fd_);
    listening_.close();
}

void Reception::loop() {
    pthread_setname_np(pthread_self(), "http:accept");
    std::vector<pollfd> fds;
    while (!stop_) {
        fds.clear();
        fds.push_back({wake_fd_, POLLIN, 0});
        auto now = Clock::now();
        auto next = now + std::chrono::seconds(1);
        // While accepting is paused (no descriptors), the pending connection would make every
        // poll return at once: the listening socket is left out until the pause ends.
        const bool accepting = now >= accept_paused_until_;
        fds.push_back({listening_.impl()->sockfd(), static_cast<short>(accepting ? POLLIN : 0), 0});
        if (!accepting) next = std::min(next, accept_paused_until_);
        for (auto &w : waiting_) {
            fds.push_back({w.fd, POLLIN, 0});
            next = std::min(next, w.deadline);
        }
        for (auto &c : closing_) {
            fds.push_back({c.fd, POLLIN, 0});
            next = std::min(next, c.deadline);
        }
        const size_t polled_waiting = waiting_.size(), polled_closing = closing_.size();
        auto wait_ms = std::chrono::duration_cast<std::chrono::milliseconds>(next - now).count();
        int n =
            ::poll(fds.data(), fds.size(), static_cast<int>(std::max<long long>(wait_ms, 0) + 1));
        if (n < 0 && errno != EINTR) {
            log::error("HTTP API: poll failed (errno {}); the API stops answering", errno);
            return;
        }
        if (stop_) return;
        now = Clock::now();

        std::vector<Waiting> kept_waiting;
        for (size_t i = 0; i < polled_waiting; ++i) {
            Waiting &w = waiting_[i];
            if (fds[2 + i].revents != 0) {
                if (examine(w)) continue;
            } else if (now >= w.deadline) {
                if (w.seen == 0) {
                    ::close(w.fd); // never said anything: there is nobody to answer
                    counters_.dropped++;
                } else {
                    refuse(w.fd, 408,
                           "the request did not arrive within " +
                               std::to_string(limits_.header_timeout.count()) + " ms");
                }
                continue;
            }
            kept_waiting.push_back(w);
        }
        waiting_ = std::move(kept_waiting);

        // refuse() above may have appended connections that were not polled this round.
        std::vector<Closing> kept_closing;
        for (size_t i = 0; i < closing_.size(); ++i) {
            Closing &c = closing_[i];
            bool done = now >= c.deadline;
            if (!done && i < polled_closing && fds[2 + polled_waiting + i].revents != 0)
                drain(c, done);
            if (done)
                ::close(c.fd);
            else
                kept_closing.push_back(c);
        }
        closing_ = std::move(kept_closing);

        if (fds[1].revents != 0) accept_all();
    }
}

void Reception::accept_all() {
    for (;;) {
        int fd = ::accept4(listening_.impl()->sockfd(), nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                // Out of descriptors or memory: the connection stays queued in the kernel. Try
                // again later rather than spinning on a socket that stays readable.
                accept_paused_until_ = Clock::now() + std::chrono::milliseconds(100);
                if (++accept_failures_ == 1 || accept_failures_ % 100 == 0)
                    log::warn("HTTP API: cannot accept a connection ({}); {} time(s) so far, "
                              "retrying every 100 ms",
                              std::strerror(errno), accept_failures_);
                return;
            }
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                log::debug("HTTP API: accept failed (errno {})", errno);
            return;
        }
        counters_.accepted++;
        if (waiting_.size() >= limits_.max_waiting) {
            // Full of clients that are slow to send: the oldest makes room for the newest.
            ::close(waiting_.front().fd);
            waiting_.erase(waiting_.begin());
            counters_.dropped++;
        }
        waiting_.push_back(Waiting{fd, Clock::now() + limits_.header_timeout});
    }
}

bool Reception::examine(Waiting &w) {
    ssize_t n = ::recv(w.fd, peek_buffer_.data(), peek_buffer_.size(), MSG_PEEK | MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
        ::close(w.fd); // the client went away before finishing its request
        counters_.dropped++;
        return true;
    }
    if (n < 0) return false;
    w.seen = static_cast<size_t>(n);
    HeadVerdict v = inspect_request({peek_buffer_.data(), w.seen}, limits_);
    switch (v.state) {
    case HeadVerdict::State::refused:
        refuse(w.fd, v.status, v.message);
        return true;
    case HeadVerdict::State::incomplete:
        if (v.head_done && v.expects_continue && !w.sent_continue) {
            send_all_now(w.fd, "HTTP/1.1 100 Continue\r\n\r\n");
            w.sent_continue = true;
        }
        wake_above(w.fd, w.seen);
        return false;
    case HeadVerdict::State::complete:
        break;
    }
    wake_above(w.fd, 0); // back to normal for the worker's reads
    Poco::Net::StreamSocket socket(new Poco::Net::StreamSocketImpl(w.fd)); // owns the fd now
    if (dispatch_(socket)) {
        counters_.dispatched++;
        return true;
    }
    // Every worker busy and the queue full: answer 503 on a duplicate, so the fd outlives the
    // StreamSocket, which closes its own copy.
    int dup = ::fcntl(w.fd, F_DUPFD_CLOEXEC, 0);
    if (dup >= 0) refuse(dup, 503, "the monitoring API is busy; try again");
    return true;
}

void Reception::refuse(int fd, int status, const std::string &message) {
    counters_.refused++;
    send_all_now(fd, raw_response(status, message));
    // Stop sending but keep reading a little: closing with unread input would reset the
    // connection and the client might never see the answer.
    ::shutdown(fd, SHUT_WR);
    if (closing_.size() >= limits_.max_waiting) {
        ::close(closing_.front().fd);
        closing_.erase(closing_.begin());
    }
    wake_above(fd, 0);
    closing_.push_back(Closing{fd, Clock::now() + limits_.linger});
}

void Reception::drain(Closing &c, bool &done) {
    char sink[16384];
    for (;;) {
        ssize_t n = ::recv(c.fd, sink, sizeof sink, MSG_DONTWAIT);
        if (n > 0) continue;
        if (n < 0 && errno == EINTR) continue;
        done = n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK); // EOF or error: finished
        return;
    }
}

} // namespace mafio
