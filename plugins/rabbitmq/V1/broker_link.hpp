// One AMQP connection with one channel in confirm mode, over librabbitmq. Every call happens on
// the output's thread. Failures throw LinkError with a message that never holds a password (the
// caller names the broker with BrokerUrl::redacted()).
#pragma once

#include "settings.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

struct amqp_connection_state_t_;

namespace rabbitmq_v1 {

struct LinkError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// What the channel said while a write waited for its confirms.
struct LinkEvent {
    enum Kind { none, ack, nack, returned, closed } kind = none;
    uint64_t tag = 0;
    bool multiple = false;
    std::string reason; // closed: why; returned: the broker's reply ("312 NO_ROUTE")
};

class BrokerLink {
public:
    explicit BrokerLink(const Settings &s) : s_(s) {}
    ~BrokerLink() { abort(); }
    BrokerLink(const BrokerLink &) = delete;
    BrokerLink &operator=(const BrokerLink &) = delete;

    bool is_open() const { return conn_ != nullptr; }
    // Connects, logs in, opens the channel, declares the queue or exchange and selects confirm
    // mode, each step bounded by connect_timeout. Throws LinkError and stays closed on failure.
    void open(const BrokerUrl &url);
    // Closes politely (bounded by connect_timeout) / drops the connection at once.
    void close() noexcept;
    void abort() noexcept;

    // Publishes one message (mandatory, so an unroutable one comes back); its delivery tag is
    // next_tag() before the call. Throws LinkError when the connection fails.
    void publish(std::string_view routing_key, std::string_view body);
    uint64_t next_tag() const { return next_tag_; }

    // The next confirm, return or close, waiting at most timeout_s. For `returned`, the
    // returned message's body is put in `returned_body`.
    LinkEvent wait(double timeout_s, std::string &returned_body);
    // Handles what arrived while no write ran (heartbeats, a close, connection.blocked) without
    // waiting. False, with `why`, when the connection is gone.
    bool drain_idle(std::string &why);
    // The broker's connection.blocked reason (a resource alarm), "" when publishing may go on.
    const std::string &blocked() const { return blocked_; }

private:
    void open_steps(const BrokerUrl &url);
    void check_rpc(const char *step);

    const Settings &s_;
    amqp_connection_state_t_ *conn_ = nullptr;
    uint64_t next_tag_ = 1;
    std::string blocked_;
};

} // namespace rabbitmq_v1
