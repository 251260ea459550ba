// http:V1 — posts records to an HTTP(S) endpoint in requests of at most batch_records /
// batch_bytes, and acknowledges exactly what the server accepted:
//   2xx                    the request's records are done;
//   408, 429, 5xx, 3xx,    MAFIO_RETRY with `done` = the records of the requests before it; the
//   timeout, no connection host backs off and calls again (Retry-After is honoured by refusing
//                          to send before the time the server named, without sleeping here, so
//                          that the host's backoff, which the shutdown grace period cuts short,
//                          is the only wait);
//   other 4xx              permanent: with split_rejected the request is halved until the
//                          records the server refuses alone are found; those go to
//                          dead_letter_path (or are dropped), counted, and the records behind
//                          them carry on.
#include "body.hpp"
#include "client.hpp"
#include "dead_letter.hpp"
#include "gzip_body.hpp"
#include "retry_after.hpp"
#include "settings.hpp"

#include <mafio/plugin.hpp>

#include <Poco/Net/NetSSL.h>

#include <chrono>
#include <cstring>
#include <ctime>
#include <memory>
#include <optional>
#include <string>

namespace {

using namespace http_v1;
using Clock = std::chrono::steady_clock;

std::string seconds_text(double s) {
    char buf[32];
    std::snprintf(buf, sizeof buf, s >= 10 ? "%.0fs" : "%.1fs", s);
    return buf;
}

// The response body as one short log-friendly line.
std::string one_line(const std::string &s) {
    std::string out;
    for (char c : s.substr(0, 200))
        out.push_back(c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
    return out;
}

// At most one line per interval for a repeated event; the next line says how many were skipped.
class Throttle {
public:
    // The suffix to log with, or nullopt when this occurrence stays quiet.
    std::optional<std::string> pass(Clock::time_point now) {
        if (last_ && now - *last_ < std::chrono::seconds(10)) {
            ++quiet_;
            return std::nullopt;
        }
        last_ = now;
        std::string suffix =
            quiet_ ? " (" + std::to_string(quiet_) + " more like it in the last interval)" : "";
        quiet_ = 0;
        return suffix;
    }

private:
    std::optional<Clock::time_point> last_;
    uint64_t quiet_ = 0;
};

class HttpOutput final : public mafio::Output {
public:
    HttpOutput(mafio::Host host, mafio::Options &opts) : HttpOutput(host, read_settings(opts)) {}

    HttpOutput(mafio::Host host, Settings s) : Output(host), s_(std::move(s)), client_(s_.client) {
        if (s_.client.endpoint.https) {
            Poco::Net::initializeSSL(); // reference counted; undone in the destructor
            ssl_ = true;
        }
        if (!s_.dead_letter_path.empty())
            dead_letter_.emplace(s_.dead_letter_path, s_.dead_letter_max_size,
                                 s_.dead_letter_max_files);
        m_.requests = host.counter("requests", "requests sent (each attempt)");
        m_.bytes = host.counter("bytes_sent", "request body bytes sent, after compression");
        m_.retry_status = host.counter(
            "retries_status", "requests answered 408, 429, 5xx or 3xx: retried after a backoff");
        m_.retry_timeout =
            host.counter("retries_timeout", "requests without a reply within timeout: retried");
        m_.retry_conn =
            host.counter("retries_connection",
                         "requests that found no connection (refused, reset, TLS): retried");
        m_.reconnects = host.counter(
            "reconnects", "requests sent again at once on a new connection because a kept-alive "
                          "one failed (closed by the server while idle, or reset)");
        m_.unconfirmed = host.counter(
            "records_unconfirmed",
            "records of requests sent whose reply never came (timeout, reset): sent again, so "
            "the server may hold them twice");
        m_.rejected = host.counter("records_rejected",
                                   "records the server refused for good (4xx but 408 and 429)");
        m_.dead_lettered =
            host.counter("records_dead_lettered", "refused records written to dead_letter_path");
        m_.dropped_rejected =
            host.counter("dropped_rejected", "refused records dropped: no dead_letter_path is set");
        m_.dropped_dl =
            host.counter("dropped_dead_letter_failed",
                         "refused records dropped because dead_letter_path could not be written");
        m_.waiting = host.gauge("retry_after_wait_ms",
                                "how long the server's last Retry-After still asks to wait");
        m_.insecure = host.gauge("warn_tls_unverified",
                                 "insecure: true, the server's TLS certificate is not checked");
    }

    ~HttpOutput() override {
        client_.reset();
        if (ssl_) Poco::Net::uninitializeSSL();
    }

    void start(const mafio_start_args & /*args*/) override {
        if (s_.client.insecure) {
            host().warn(s_.client.endpoint.shown +
                        ": insecure: true, the server's TLS certificate is NOT verified; anyone "
                        "on the path can read and change what is sent");
            host().set(m_.insecure, 1);
        }
    }

    void stop() override { client_.reset(); }

    mafio_status write(const mafio_batch *batch, uint32_t first, uint32_t count,
                       uint32_t &done) override {
        done = 0;
        const auto now = Clock::now();
        if (now < not_before_) {
            const double left = std::chrono::duration<double>(not_before_ - now).count();
            host().set(m_.waiting, static_cast<int64_t>(left * 1000));
            host().set_error("the server asked to wait (Retry-After) " + seconds_text(left) +
                             " more");
            return MAFIO_RETRY;
        }
        host().set(m_.waiting, 0);
        const uint32_t end = first + count;
        while (first + done < end) {
            const uint32_t at = first + done;
            const uint32_t n = build_body(*batch, at, end - at, s_.format, s_.limits, body_);
            if (!send_range(*batch, at, n, true, done)) return MAFIO_RETRY;
        }
        if (failing_since_) streak_ended();
        return MAFIO_OK;
    }

private:
    // Sends records [from, from + n) (their body already in body_ when `built`); true when they
    // are all done (accepted, dead-lettered or dropped), false for a retry, `done` counting
    // every record finished so far, in order.
    bool send_range(const mafio_batch &b, uint32_t from, uint32_t n, bool built, uint32_t &done) {
        if (!built) build_body(b, from, n, s_.format, s_.limits, body_);
        const std::string *payload = &body_;
        if (s_.gzip) {
            gzip_.compress(body_, zbody_);
            payload = &zbody_;
        }
        host().add(m_.requests, 1);
        const Reply r = client_.send(s_.headers, *payload);
        if (r.body_sent) host().add(m_.bytes, payload->size());
        if (r.reconnected) host().add(m_.reconnects, 1);
        host().add(m_.unconfirmed, uint64_t{n} * static_cast<uint64_t>(r.unseen));
        if (r.kind == Reply::Kind::status && r.status >= 200 && r.status < 300) {
            done += n;
            return true;
        }
        if (retryable(r)) {
            retry_later(r);
            return false;
        }
        if (n > 1 && s_.split_rejected) {
            const uint32_t half = n / 2;
            return send_range(b, from, half, false, done) &&
                   send_range(b, from + half, n - half, false, done);
        }
        reject(b, from, n, r);
        done += n;
        return true;
    }

    static bool retryable(const Reply &r) {
        if (r.kind != Reply::Kind::status) return true;
        return r.status == 408 || r.status == 429 || r.status >= 500 || r.status < 400;
    }

    std::string request_name() const { return s_.client.method + " " + s_.client.endpoint.shown; }

    void retry_later(const Reply &r) {
        std::string what = request_name() + ": ";
        switch (r.kind) {
        case Reply::Kind::status:
            host().add(m_.retry_status, 1);
            what += std::to_string(r.status) + " " + r.reason;
            if (r.status >= 300 && r.status < 400)
                what += " (redirects are not followed: set url to where it points)";
            else if (!r.body_head.empty())
                what += ": " + one_line(r.body_head);
            break;
        case Reply::Kind::timeout:
            host().add(m_.retry_timeout, 1);
            what += r.error;
            break;
        case Reply::Kind::connection:
        case Reply::Kind::tls:
            host().add(m_.retry_conn, 1);
            what += r.error;
            break;
        }
        if (!r.retry_after.empty()) {
            const auto secs = retry_after_seconds(r.retry_after, std::time(nullptr));
            if (secs) {
                const double wait = std::min(*secs, s_.retry_after_max_s);
                not_before_ =
                    Clock::now() + std::chrono::milliseconds(static_cast<int64_t>(wait * 1000));
                host().set(m_.waiting, static_cast<int64_t>(wait * 1000));
                what += "; Retry-After " + seconds_text(wait);
            }
        }
        host().set_error(what + "; will retry");
        ++failures_;
        if (!failing_since_) {
            failing_since_ = Clock::now();
            host().warn(what + "; retrying with backoff until it succeeds (one line per streak)");
        }
    }

    void streak_ended() {
        const double secs = std::chrono::duration<double>(Clock::now() - *failing_since_).count();
        host().info(request_name() + ": delivering again after " + std::to_string(failures_) +
                    " failed attempts over " + seconds_text(secs));
        failing_since_.reset();
        failures_ = 0;
    }

    // Records [from, from + n) the server refused for good.
    void reject(const mafio_batch &b, uint32_t from, uint32_t n, const Reply &r) {
        host().add(m_.rejected, n);
        std::string fate;
        if (dead_letter_) {
            lines_.clear();
            const time_t now = std::time(nullptr);
            for (uint32_t i = from; i < from + n; ++i)
                DeadLetterFile::format_line(lines_, r.status, s_.client.endpoint.shown, r.body_head,
                                            record_view(b, i), now);
            if (const int err = dead_letter_->append(lines_)) {
                host().add(m_.dropped_dl, n);
                fate = "dropped: cannot write the dead-letter file \"" + dead_letter_->path() +
                       "\" (" + std::strerror(err) + ")";
            } else {
                host().add(m_.dead_lettered, n);
                fate = "written to \"" + dead_letter_->path() + "\"";
            }
        } else {
            host().add(m_.dropped_rejected, n);
            fate = "dropped (set dead_letter_path to keep them)";
        }
        if (auto suffix = reject_log_.pass(Clock::now()))
            host().warn(request_name() + ": " + std::to_string(r.status) + " " + r.reason +
                        " for " + std::to_string(n) + " record" + (n == 1 ? "" : "s") +
                        (r.body_head.empty() ? "" : " (" + one_line(r.body_head) + ")") +
                        ", refused for good; " + fate + *suffix);
    }

    struct Metrics {
        mafio_metric_id requests, bytes, reconnects, retry_status, retry_timeout, retry_conn,
            unconfirmed, rejected, dead_lettered, dropped_rejected, dropped_dl, waiting, insecure;
    };

    Settings s_;
    Client client_;
    bool ssl_ = false;
    Gzip gzip_;
    std::optional<DeadLetterFile> dead_letter_;
    std::string body_, zbody_, lines_;
    Clock::time_point not_before_{}; // Retry-After: nothing is sent before this
    std::optional<Clock::time_point> failing_since_;
    uint64_t failures_ = 0;
    Throttle reject_log_;
    Metrics m_{};
};

} // namespace

MAFIO_PLUGIN(
    HttpOutput, "http", "V1", "1.0.0",
    "posts records to an HTTP(S) endpoint (NDJSON, a JSON array or raw lines), in batches, "
    "acknowledging only what the server accepted; 408/429/5xx and network failures are retried "
    "(Retry-After honoured), other 4xx go to a dead-letter file",
    "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"url\"],"
    "\"properties\":{"
    "\"url\":{\"type\":\"string\",\"minLength\":1,"
    "\"description\":\"http:// or https:// URL to send to (no user:password@ in it)\"},"
    "\"method\":{\"type\":\"string\",\"enum\":[\"POST\",\"PUT\"],\"default\":\"POST\","
    "\"description\":\"request method\"},"
    "\"format\":{\"type\":\"string\",\"enum\":[\"ndjson\",\"json_array\",\"raw\"],"
    "\"default\":\"ndjson\",\"description\":\"body: one JSON value per line, one JSON array, or "
    "the records as lines; a record that is not a JSON object is sent as {\\\"log\\\":\\\"...\\\"} "
    "(invalid UTF-8 bytes become U+FFFD)\"},"
    "\"headers\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"},"
    "\"description\":\"extra request headers; Content-Type replaces the format's\"},"
    "\"compress\":{\"type\":\"string\",\"enum\":[\"none\",\"gzip\"],\"default\":\"none\","
    "\"description\":\"gzip request bodies (Content-Encoding: gzip)\"},"
    "\"user\":{\"type\":\"string\",\"description\":\"basic auth user; needs password_file\"},"
    "\"password_file\":{\"type\":\"string\","
    "\"description\":\"file holding the basic auth password (never logged)\"},"
    "\"token_file\":{\"type\":\"string\","
    "\"description\":\"file holding a bearer token (Authorization: Bearer; never logged)\"},"
    "\"ca_file\":{\"type\":\"string\","
    "\"description\":\"PEM CA certificates to verify the server with, instead of the system's\"},"
    "\"insecure\":{\"type\":\"boolean\",\"default\":false,"
    "\"description\":\"do not verify the server's TLS certificate (logged as a warning)\"},"
    "\"batch_records\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":1000000,\"default\":5000,"
    "\"description\":\"most records per request (a write holds at most -max-write-bulk-size)\"},"
    "\"batch_bytes\":{\"type\":[\"integer\",\"string\"],\"default\":\"4MiB\","
    "\"description\":\"most body bytes per request before compression (1KiB to 256MiB); a "
    "larger record goes alone\"},"
    "\"timeout\":{\"type\":[\"number\",\"string\"],\"default\":\"10s\","
    "\"description\":\"limit for connecting, sending and each wait for reply bytes; a reply "
    "after it is retried\"},"
    "\"retry_after_max\":{\"type\":[\"number\",\"string\"],\"default\":\"5m\","
    "\"description\":\"longest Retry-After wait honoured\"},"
    "\"split_rejected\":{\"type\":\"boolean\",\"default\":true,"
    "\"description\":\"halve a request refused with 4xx until the refused records are found "
    "alone; false: the whole request is refused\"},"
    "\"dead_letter_path\":{\"type\":\"string\","
    "\"description\":\"file (rotated by size) receiving refused records as JSON lines with the "
    "status; without it they are dropped and counted\"},"
    "\"dead_letter_max_size\":{\"type\":[\"integer\",\"string\"],\"default\":\"100MiB\","
    "\"description\":\"rotate the dead-letter file before it passes this size\"},"
    "\"dead_letter_max_files\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":1000,"
    "\"default\":5,\"description\":\"rotated dead-letter files kept (path.1 .. path.N)\"}}}")
