#include "broker_link.hpp"

#include <amqp.h>
#include <amqp_ssl_socket.h>
#include <amqp_tcp_socket.h>

#include <sys/time.h>
#include <unistd.h>

namespace rabbitmq_v1 {

namespace {

constexpr amqp_channel_t kChannel = 1;
constexpr int kFrameMax = 131072;
constexpr const char *kSystemCaBundle = "/etc/ssl/certs/ca-certificates.crt"; // Debian, Alpine

timeval to_timeval(double s) {
    if (s < 0) s = 0;
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(s);
    tv.tv_usec = static_cast<suseconds_t>((s - static_cast<double>(tv.tv_sec)) * 1e6);
    return tv;
}

amqp_bytes_t bytes(std::string_view s) {
    return amqp_bytes_t{s.size(), const_cast<char *>(s.data())};
}

std::string text(amqp_bytes_t b) {
    return {static_cast<const char *>(b.bytes), b.len};
}

std::string status_text(int status) {
    return amqp_error_string2(status);
}

// A broker's close (connection or channel): "<code> <text>", e.g. "403 ACCESS_REFUSED - ...".
std::string close_reason(const amqp_method_t &m) {
    if (m.id == AMQP_CONNECTION_CLOSE_METHOD) {
        const auto *c = static_cast<const amqp_connection_close_t *>(m.decoded);
        return "the broker closed the connection: " + std::to_string(c->reply_code) + " " +
               text(c->reply_text);
    }
    if (m.id == AMQP_CHANNEL_CLOSE_METHOD) {
        const auto *c = static_cast<const amqp_channel_close_t *>(m.decoded);
        return "the broker closed the channel: " + std::to_string(c->reply_code) + " " +
               text(c->reply_text);
    }
    return "unexpected reply from the broker";
}

std::string rpc_error(const amqp_rpc_reply_t &r) {
    switch (r.reply_type) {
    case AMQP_RESPONSE_NORMAL:
        return {};
    case AMQP_RESPONSE_NONE:
        return "no reply from the broker";
    case AMQP_RESPONSE_LIBRARY_EXCEPTION:
        return status_text(r.library_error);
    case AMQP_RESPONSE_SERVER_EXCEPTION:
        return close_reason(r.reply);
    }
    return "unknown reply";
}

} // namespace

void BrokerLink::check_rpc(const char *step) {
    const std::string err = rpc_error(amqp_get_rpc_reply(conn_));
    if (!err.empty()) throw LinkError(std::string(step) + ": " + err);
}

void BrokerLink::open(const BrokerUrl &url) {
    abort();
    conn_ = amqp_new_connection();
    if (!conn_) throw LinkError("out of memory creating the connection");
    try {
        open_steps(url);
    } catch (...) {
        abort();
        throw;
    }
    next_tag_ = 1;
    blocked_.clear();
}

void BrokerLink::open_steps(const BrokerUrl &url) {
    amqp_socket_t *sock = url.tls ? amqp_ssl_socket_new(conn_) : amqp_tcp_socket_new(conn_);
    if (!sock) throw LinkError("cannot create the socket");
    if (url.tls) {
        amqp_ssl_socket_set_verify_peer(sock, s_.tls_verify ? 1 : 0);
        amqp_ssl_socket_set_verify_hostname(sock, s_.tls_verify ? 1 : 0);
        // librabbitmq loads no trust store of its own: without ca_file, the system's bundle.
        std::string ca = s_.ca_file;
        if (ca.empty() && s_.tls_verify && ::access(kSystemCaBundle, R_OK) == 0)
            ca = kSystemCaBundle;
        if (!ca.empty() && amqp_ssl_socket_set_cacert(sock, ca.c_str()) != 0)
            throw LinkError("CA file \"" + ca + "\": not a PEM CA certificate file");
        if (!s_.cert_file.empty() &&
            amqp_ssl_socket_set_key(sock, s_.cert_file.c_str(), s_.key_file.c_str()) != 0)
            throw LinkError("cert_file/key_file \"" + s_.cert_file + "\", \"" + s_.key_file +
                            "\": not a PEM certificate and its key");
    }
    timeval tv = to_timeval(s_.connect_timeout_s);
    const int st = amqp_socket_open_noblock(sock, url.host.c_str(), url.port, &tv);
    if (st != AMQP_STATUS_OK) throw LinkError("connect: " + status_text(st));
    amqp_set_handshake_timeout(conn_, &tv);
    amqp_set_rpc_timeout(conn_, &tv);

    // connection.blocked: the broker says when a resource alarm makes it stop reading
    // publishers, so that a write returns instead of hanging in send().
    amqp_table_entry_t caps[1];
    caps[0].key = amqp_cstring_bytes("connection.blocked");
    caps[0].value.kind = AMQP_FIELD_KIND_BOOLEAN;
    caps[0].value.value.boolean = 1;
    amqp_table_entry_t props[2];
    props[0].key = amqp_cstring_bytes("capabilities");
    props[0].value.kind = AMQP_FIELD_KIND_TABLE;
    props[0].value.value.table = amqp_table_t{1, caps};
    props[1].key = amqp_cstring_bytes("product");
    props[1].value.kind = AMQP_FIELD_KIND_UTF8;
    props[1].value.value.bytes = amqp_cstring_bytes("mafio rabbitmq:V1");
    const amqp_table_t client_props{2, props};
    const amqp_rpc_reply_t login = amqp_login_with_properties(
        conn_, url.vhost.c_str(), 0, kFrameMax, s_.heartbeat_s, &client_props,
        AMQP_SASL_METHOD_PLAIN, url.user.c_str(), url.password.c_str());
    const std::string err = rpc_error(login);
    if (!err.empty())
        throw LinkError("login as \"" + url.user + "\" to vhost \"" + url.vhost + "\": " + err);
    amqp_channel_open(conn_, kChannel);
    check_rpc("channel.open");
    if (!s_.queue.empty()) {
        amqp_queue_declare(conn_, kChannel, amqp_cstring_bytes(s_.queue.c_str()), 0, 1, 0, 0,
                           amqp_empty_table);
        check_rpc(("queue.declare of \"" + s_.queue + "\" (durable)").c_str());
    } else {
        // amq.* exchanges are the broker's own: only a passive declare (a check) is allowed.
        const bool passive = !s_.exchange_declare || s_.exchange.rfind("amq.", 0) == 0;
        amqp_exchange_declare(conn_, kChannel, amqp_cstring_bytes(s_.exchange.c_str()),
                              amqp_cstring_bytes(s_.exchange_type.c_str()), passive ? 1 : 0,
                              s_.exchange_durable ? 1 : 0, 0, 0, amqp_empty_table);
        check_rpc(("exchange.declare of \"" + s_.exchange + "\"" + (passive ? " (passive)" : ""))
                      .c_str());
    }
    amqp_confirm_select(conn_, kChannel);
    check_rpc("confirm.select");
}

void BrokerLink::close() noexcept {
    if (!conn_) return;
    amqp_channel_close(conn_, kChannel, AMQP_REPLY_SUCCESS);
    amqp_connection_close(conn_, AMQP_REPLY_SUCCESS);
    abort();
}

void BrokerLink::abort() noexcept {
    if (!conn_) return;
    amqp_destroy_connection(conn_); // closes the socket
    conn_ = nullptr;
}

void BrokerLink::publish(std::string_view routing_key, std::string_view body) {
    amqp_basic_properties_t props{};
    if (s_.persistent) {
        props._flags |= AMQP_BASIC_DELIVERY_MODE_FLAG;
        props.delivery_mode = AMQP_DELIVERY_PERSISTENT;
    }
    if (s_.framing == Framing::bulk) {
        props._flags |= AMQP_BASIC_CONTENT_TYPE_FLAG;
        props.content_type = amqp_cstring_bytes("application/json");
    }
    const std::string_view exchange = s_.queue.empty() ? s_.exchange : std::string_view();
    const int st = amqp_basic_publish(conn_, kChannel, bytes(exchange), bytes(routing_key), 1, 0,
                                      &props, bytes(body));
    if (st != AMQP_STATUS_OK) throw LinkError("publish: " + status_text(st));
    ++next_tag_;
}

LinkEvent BrokerLink::wait(double timeout_s, std::string &returned_body) {
    LinkEvent ev;
    amqp_frame_t frame;
    timeval tv = to_timeval(timeout_s);
    const int st = amqp_simple_wait_frame_noblock(conn_, &frame, &tv);
    if (st == AMQP_STATUS_TIMEOUT) return ev;
    if (st != AMQP_STATUS_OK) {
        ev.kind = LinkEvent::closed;
        ev.reason = status_text(st);
        return ev;
    }
    if (frame.frame_type != AMQP_FRAME_METHOD) return ev;
    const amqp_method_t &m = frame.payload.method;
    switch (m.id) {
    case AMQP_BASIC_ACK_METHOD: {
        const auto *a = static_cast<const amqp_basic_ack_t *>(m.decoded);
        ev = {LinkEvent::ack, a->delivery_tag, a->multiple != 0, {}};
        break;
    }
    case AMQP_BASIC_NACK_METHOD: {
        const auto *n = static_cast<const amqp_basic_nack_t *>(m.decoded);
        ev = {LinkEvent::nack, n->delivery_tag, n->multiple != 0, {}};
        break;
    }
    case AMQP_BASIC_RETURN_METHOD: {
        const auto *r = static_cast<const amqp_basic_return_t *>(m.decoded);
        ev.kind = LinkEvent::returned;
        ev.reason = std::to_string(r->reply_code) + " " + text(r->reply_text);
        amqp_message_t msg;
        const std::string err = rpc_error(amqp_read_message(conn_, frame.channel, &msg, 0));
        if (!err.empty())
            return {LinkEvent::closed, 0, false, "reading a returned message: " + err};
        returned_body.assign(static_cast<const char *>(msg.body.bytes), msg.body.len);
        amqp_destroy_message(&msg);
        break;
    }
    case AMQP_CHANNEL_CLOSE_METHOD: {
        ev = {LinkEvent::closed, 0, false, close_reason(m)};
        amqp_channel_close_ok_t ok{};
        amqp_send_method(conn_, frame.channel, AMQP_CHANNEL_CLOSE_OK_METHOD, &ok);
        break;
    }
    case AMQP_CONNECTION_CLOSE_METHOD: {
        ev = {LinkEvent::closed, 0, false, close_reason(m)};
        amqp_connection_close_ok_t ok{};
        amqp_send_method(conn_, 0, AMQP_CONNECTION_CLOSE_OK_METHOD, &ok);
        break;
    }
    case AMQP_CONNECTION_BLOCKED_METHOD: {
        const auto *b = static_cast<const amqp_connection_blocked_t *>(m.decoded);
        blocked_ = b->reason.len ? text(b->reason) : std::string("resource alarm");
        break;
    }
    case AMQP_CONNECTION_UNBLOCKED_METHOD:
        blocked_.clear();
        break;
    default:
        break;
    }
    return ev;
}

bool BrokerLink::drain_idle(std::string &why) {
    std::string body;
    for (;;) {
        LinkEvent ev = wait(0, body);
        if (ev.kind == LinkEvent::closed) {
            why = ev.reason;
            return false;
        }
        if (ev.kind == LinkEvent::none && amqp_frames_enqueued(conn_) == 0 &&
            amqp_data_in_buffer(conn_) == 0)
            return true;
    }
}

} // namespace rabbitmq_v1
