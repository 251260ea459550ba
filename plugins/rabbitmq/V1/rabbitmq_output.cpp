// rabbitmq:V1 — publishes records to RabbitMQ (the original agent's `rabbitmq` output), at least
// once: every write waits for the broker's publisher confirms and reports done only the records
// confirmed, in order; what a lost connection, a nack or a timeout leaves unconfirmed goes back
// to the host as MAFIO_RETRY, which retries it with backoff (and gives up when the shutdown
// grace runs out, so the records are read again at the next start). Broker URLs fail over in
// order; settings.hpp reads the options, broker_link.hpp speaks AMQP.
#include "../../common/failure_streak.hpp"
#include "broker_link.hpp"
#include "bulk_framing.hpp"
#include "confirms.hpp"
#include "settings.hpp"

#include <mafio/plugin.hpp>

#include <algorithm>
#include <chrono>
#include <string>

namespace {

using namespace rabbitmq_v1;

double steady_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// A wait for confirms is cut into slices so that a heartbeat or a close is seen promptly.
constexpr double kWaitSlice = 0.2;

struct Metrics {
    explicit Metrics(const mafio::Host &h)
        : published(h.counter("messages_published", "messages published (each awaits a confirm)")),
          confirmed(h.counter("records_confirmed",
                              "records the broker confirmed, reported delivered to the pipeline")),
          nacked(h.counter("records_nacked", "records the broker refused (basic.nack); retried")),
          unroutable(h.counter("records_unroutable",
                               "records returned unroutable (no queue bound for the routing key)")),
          unroutable_dropped(h.counter("records_unroutable_dropped",
                                       "unroutable records dropped (on_unroutable: drop)")),
          duplicates(h.counter("records_possibly_duplicated",
                               "records published again after an attempt whose fate was unknown "
                               "(unconfirmed when a connection was lost or confirm_timeout ran "
                               "out) or that was confirmed after an earlier refused one: a "
                               "consumer may see them twice")),
          connects(h.counter("connects", "connections opened to a broker")),
          connect_failures(h.counter("connect_failures", "connection attempts that failed")),
          losses(h.counter("connection_losses", "connections lost during a write")),
          connected(h.gauge("connected", "1 while a broker connection is open")),
          broker(h.gauge("broker_index", "the position in urls of the broker in use, -1: none")) {}
    mafio_metric_id published, confirmed, nacked, unroutable, unroutable_dropped, duplicates,
        connects, connect_failures, losses, connected, broker;
};

class RabbitmqOutput final : public mafio::Output {
public:
    RabbitmqOutput(mafio::Host host, mafio::Options &opts)
        : Output(host), s_(read_settings(opts)), link_(s_), m_(host) {
        host.set(m_.broker, -1);
    }

    // A first connection now, so that a wrong password or an unknown vhost is in the log at
    // start rather than at the first record; a broker that is down does not stop the agent.
    void start(const mafio_start_args & /*args*/) override { (void)ensure_open(); }

    mafio_status write(const mafio_batch *batch, uint32_t first, uint32_t count,
                       uint32_t &done) override {
        done = 0;
        if (!ensure_open()) return MAFIO_RETRY;
        // The batch's tag (falling back to the component id on a host without the extension).
        const std::string key = routing_key_for(s_, host().batch_tag(batch, host().component_id()));
        last_key_ = key;
        const bool bulk = s_.framing == Framing::bulk;
        confirms_.begin(link_.next_tag());
        returned_cursor_ = 0;
        std::string lost;
        try {
            if (bulk) {
                frame_bulk(body_, *batch, first, count);
                link_.publish(key, body_);
                confirms_.published();
            } else {
                for (uint32_t i = 0; i < count; ++i) {
                    link_.publish(key, mafio::record_bytes(batch, first + i));
                    confirms_.published();
                }
            }
        } catch (const LinkError &e) {
            lost = e.what();
        }
        host().add(m_.published, confirms_.size());
        if (lost.empty()) lost = await_confirms(*batch, first);
        return settle(count, bulk, lost, done);
    }

    void stop() override {
        link_.close();
        host().set(m_.connected, 0);
        if (dropped_total_ > 0)
            host().warn(std::to_string(dropped_total_) +
                        " unroutable records dropped in total (on_unroutable: drop)");
        if (duplicates_total_ > 0)
            host().info(std::to_string(duplicates_total_) +
                        " records were published again after unconfirmed attempts in total (a "
                        "consumer may have seen them twice)");
    }

private:
    // Connected, or connects to the first URL that answers, starting at the one in use last.
    bool ensure_open() {
        if (link_.is_open()) {
            std::string why;
            if (link_.drain_idle(why)) {
                if (link_.blocked().empty()) return true;
                note_failure("the broker " + current_url() +
                             " blocks publishers (connection.blocked: " + link_.blocked() + ")");
                return false;
            }
            // Idle past the heartbeat, or the broker restarted between writes: nothing was in
            // flight, so this is no failure, only a new connection.
            host().info("connection to " + current_url() + " was closed while idle (" + why +
                        "); reconnecting");
            drop_link();
        }
        std::string errors;
        const size_t n = s_.urls.size();
        for (size_t k = 0; k < n; ++k) {
            const size_t i = (url_index_ + k) % n;
            try {
                link_.open(s_.urls[i]);
            } catch (const LinkError &e) {
                host().add(m_.connect_failures, 1);
                errors += (errors.empty() ? "" : "; ") + s_.urls[i].redacted() + ": " + e.what();
                continue;
            }
            url_index_ = i;
            host().add(m_.connects, 1);
            host().set(m_.connected, 1);
            host().set(m_.broker, static_cast<int64_t>(i));
            if (!errors.empty())
                host().warn("could not connect to " + errors + "; connected to " +
                            s_.urls[i].redacted() + " instead");
            else if (!streak_.active())
                host().debug("connected to " + s_.urls[i].redacted());
            return true;
        }
        note_failure("cannot connect to " +
                     std::string(n == 1 ? "the broker" : "any of the brokers") + ": " + errors);
        return false;
    }

    std::string current_url() const { return s_.urls[url_index_].redacted(); }

    void drop_link() {
        link_.abort();
        host().set(m_.connected, 0);
        host().set(m_.broker, -1);
    }

    // Reads confirms until every message of this write is settled. "" when all are, else why
    // not (the connection is then dropped: its unconfirmed tags can never be settled).
    std::string await_confirms(const mafio_batch &batch, uint32_t first) {
        const double deadline = steady_seconds() + s_.confirm_timeout_s;
        while (!confirms_.all_settled()) {
            const double left = deadline - steady_seconds();
            if (left <= 0)
                return "no confirm within confirm_timeout (" +
                       std::to_string(static_cast<long long>(s_.confirm_timeout_s)) + " s) for " +
                       std::to_string(confirms_.unsettled()) + " messages";
            const LinkEvent ev = link_.wait(std::min(left, kWaitSlice), returned_body_);
            switch (ev.kind) {
            case LinkEvent::none:
                break;
            case LinkEvent::ack:
                confirms_.ack(ev.tag, ev.multiple);
                break;
            case LinkEvent::nack:
                confirms_.nack(ev.tag, ev.multiple);
                break;
            case LinkEvent::returned:
                returned_reason_ = ev.reason;
                match_returned(batch, first);
                break;
            case LinkEvent::closed:
                return ev.reason;
            }
        }
        return {};
    }

    // A returned message carries no delivery tag; returns come in publish order, so it is the
    // next message not yet matched whose body is the returned one.
    void match_returned(const mafio_batch &batch, uint32_t first) {
        if (s_.framing == Framing::bulk) {
            confirms_.returned(0);
            return;
        }
        for (uint32_t i = returned_cursor_; i < confirms_.size(); ++i) {
            if (mafio::record_bytes(&batch, first + i) == returned_body_) {
                confirms_.returned(i);
                returned_cursor_ = i + 1;
                return;
            }
        }
    }

    // Turns what the broker confirmed into the write's result.
    mafio_status settle(uint32_t count, bool bulk, const std::string &lost, uint32_t &done) {
        const bool drop = s_.on_unroutable == Unroutable::drop;
        const uint32_t msgs = confirms_.size(), prefix = confirms_.done_prefix(drop);
        const auto records = [&](uint32_t messages) { return bulk ? messages * count : messages; };
        uint32_t returned_done = 0, returned_kept = 0, maybe_delivered = 0;
        for (uint32_t i = 0; i < msgs; ++i) {
            const bool ret = confirms_.was_returned(i);
            if (i < prefix) {
                returned_done += ret ? 1 : 0;
            } else {
                returned_kept += ret ? 1 : 0;
                // Sent again: unknown (pending) or delivered (acked, not returned) ones may be
                // seen twice; nacked and returned ones were not delivered.
                if (confirms_.state(i) != Confirms::refused && !ret) ++maybe_delivered;
            }
        }
        done = records(prefix);
        host().add(m_.confirmed, done);
        host().add(m_.nacked, records(confirms_.nacked()));
        host().add(m_.unroutable, records(returned_done + returned_kept));
        if (returned_done > 0) note_dropped(records(returned_done));
        if (done < count && maybe_delivered > 0) {
            host().add(m_.duplicates, records(maybe_delivered));
            duplicates_total_ += records(maybe_delivered);
            streak_duplicates_ += records(maybe_delivered);
        }
        if (!lost.empty()) {
            host().add(m_.losses, 1);
            drop_link();
            note_failure("publishing to " + current_url() + " failed: " + lost);
            return MAFIO_RETRY;
        }
        if (done == count) {
            const std::string line = streak_.succeeded(steady_seconds(), current_url());
            if (!line.empty()) {
                host().info(line + (streak_duplicates_ == 0
                                        ? std::string()
                                        : "; " + std::to_string(streak_duplicates_) +
                                              " records were published again after unconfirmed "
                                              "attempts (a consumer may see them twice)"));
                streak_duplicates_ = 0;
            }
            return MAFIO_OK;
        }
        if (confirms_.nacked() > 0)
            note_failure("the broker " + current_url() + " refused (basic.nack) " +
                         std::to_string(records(confirms_.nacked())) + " records");
        else
            note_failure(std::to_string(records(returned_kept)) + " records unroutable (" +
                         returned_reason_ + ") on " + destination() + " (on_unroutable: retry)");
        return MAFIO_RETRY;
    }

    std::string destination() const {
        return s_.queue.empty()
                   ? "exchange \"" + s_.exchange + "\" with routing key \"" + last_key_ + "\""
                   : "queue \"" + s_.queue + "\"";
    }

    void note_failure(const std::string &what) {
        const std::string line = streak_.failed(steady_seconds(), what);
        if (!line.empty()) host().warn(line);
    }

    // Dropped unroutable records: a warning at the first, then at most one a minute.
    void note_dropped(uint64_t n) {
        host().add(m_.unroutable_dropped, n);
        dropped_total_ += n;
        const double now = steady_seconds();
        if (dropped_logged_at_ > 0 && now - dropped_logged_at_ < 60) return;
        dropped_logged_at_ = now;
        host().warn(std::to_string(dropped_total_) + " unroutable records dropped so far (" +
                    returned_reason_ + " on " + destination() +
                    "; on_unroutable: drop; bind a queue to keep them)");
    }

    Settings s_;
    BrokerLink link_;
    Metrics m_;
    Confirms confirms_;
    // Every streak is reported (a broker outage is rare and worth each line), reminded every
    // 5 minutes.
    mafio_plugins::FailureStreak streak_{
        {"retrying with backoff, records are kept until the broker confirms them", "publishing to",
         false},
        0,
        300};
    size_t url_index_ = 0;
    uint32_t returned_cursor_ = 0;
    std::string body_, returned_body_, returned_reason_;
    std::string last_key_; // the routing key of the last write, for messages
    uint64_t dropped_total_ = 0, duplicates_total_ = 0, streak_duplicates_ = 0;
    double dropped_logged_at_ = 0;
};

} // namespace

MAFIO_PLUGIN(
    RabbitmqOutput, "rabbitmq", "V1", "1.0.0",
    "publishes records to RabbitMQ (AMQP 0-9-1) with publisher confirms: at least once, broker "
    "URLs failed over in order",
    "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"urls\"],"
    "\"properties\":{"
    "\"urls\":{\"type\":[\"array\",\"string\"],\"items\":{\"type\":\"string\"},"
    "\"description\":\"broker URLs amqp://user:pass@host:port/vhost or amqps://..., tried in "
    "order (failover); a string may hold several separated by commas. Required (or "
    "rmq_address)\"},"
    "\"rmq_address\":{\"type\":\"string\",\"description\":\"the original's name for urls: "
    "comma-separated URLs\"},"
    "\"queue\":{\"type\":\"string\",\"description\":\"declared durable and published to through "
    "the default exchange; set queue or exchange\"},"
    "\"rmq_key\":{\"type\":\"string\",\"description\":\"the original's name for queue\"},"
    "\"exchange\":{\"type\":\"string\",\"description\":\"publish to this exchange instead of a "
    "queue (declared unless exchange_declare is false or it is amq.*)\"},"
    "\"exchange_type\":{\"type\":\"string\",\"enum\":[\"direct\",\"fanout\",\"topic\","
    "\"headers\"],\"default\":\"direct\",\"description\":\"with exchange\"},"
    "\"exchange_durable\":{\"type\":\"boolean\",\"default\":true,\"description\":\"with "
    "exchange\"},"
    "\"exchange_declare\":{\"type\":\"boolean\",\"default\":true,\"description\":\"declare the "
    "exchange; false only checks that it exists\"},"
    "\"routing_key\":{\"type\":\"string\",\"description\":\"with exchange: the routing key "
    "(default: each batch's tag; with queue, the queue's name is the routing key)\"},"
    "\"persistent\":{\"type\":\"boolean\",\"default\":true,\"description\":\"delivery mode 2: "
    "the broker writes messages to disk before confirming them\"},"
    "\"message\":{\"type\":\"string\",\"enum\":[\"record\",\"bulk\"],\"default\":\"record\","
    "\"description\":\"record: one message per record; bulk: one message per write, the "
    "original's JSON array [{\\\"Data\\\":\\\"<base64>\\\"},...]\"},"
    "\"on_unroutable\":{\"type\":\"string\",\"enum\":[\"drop\",\"retry\"],\"default\":\"drop\","
    "\"description\":\"what to do with a message the broker returns as unroutable: drop it "
    "(counted, logged) or retry it with backoff until a queue is bound\"},"
    "\"password_file\":{\"type\":\"string\",\"description\":\"file holding the password (one "
    "trailing newline ignored), for URLs written without one\"},"
    "\"ca_file\":{\"type\":\"string\",\"description\":\"amqps: PEM CA certificates to verify the "
    "broker with (default: /etc/ssl/certs/ca-certificates.crt)\"},"
    "\"cert_file\":{\"type\":\"string\",\"description\":\"amqps: PEM client certificate (with "
    "key_file)\"},"
    "\"key_file\":{\"type\":\"string\",\"description\":\"amqps: PEM key of cert_file\"},"
    "\"tls_verify\":{\"type\":\"boolean\",\"default\":true,\"description\":\"amqps: verify the "
    "broker's certificate and host name\"},"
    "\"heartbeat\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":3600,\"default\":60,"
    "\"description\":\"AMQP heartbeat in seconds, 0: none\"},"
    "\"connect_timeout\":{\"type\":[\"number\",\"string\"],\"default\":\"10s\",\"description\":"
    "\"bound of each connection step (TCP, TLS, login, declares) per URL\"},"
    "\"confirm_timeout\":{\"type\":[\"number\",\"string\"],\"default\":\"30s\",\"description\":"
    "\"how long a write waits for its confirms before it drops the connection and retries\"}}}")
