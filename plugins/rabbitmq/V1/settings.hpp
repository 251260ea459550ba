// rabbitmq:V1's options, read and checked once at create (so `-check` reports them), with errors
// naming the option's JSON path and what would be accepted. URLs only ever appear redacted.
#pragma once

#include "amqp_url.hpp"

#include <mafio/options.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace rabbitmq_v1 {

enum class Framing { record, bulk };
enum class Unroutable { drop, retry };

struct Settings {
    std::vector<BrokerUrl> urls;
    std::string queue;    // set: declared durable, published to through the default exchange
    std::string exchange; // or: published to this exchange
    std::string exchange_type = "direct";
    bool exchange_durable = true;
    bool exchange_declare = true;
    std::string routing_key; // as configured; see routing_key_for()
    bool persistent = true;
    Framing framing = Framing::record;
    Unroutable on_unroutable = Unroutable::drop;
    std::string ca_file, cert_file, key_file;
    bool tls_verify = true;
    int heartbeat_s = 60;
    double connect_timeout_s = 10;
    double confirm_timeout_s = 30;
};

// THE place where a write's routing key is decided: `routing_key` when set; with `queue`, the
// queue's name (the default exchange routes by it); with `exchange`, the tag of the batch being
// written (mafio.batch_tag.v1), so one exchange can fan records out by where they came from.
inline std::string routing_key_for(const Settings &s, std::string_view batch_tag) {
    if (!s.routing_key.empty()) return s.routing_key;
    if (!s.queue.empty()) return s.queue;
    return std::string(batch_tag);
}

namespace detail {

inline std::string read_password_file(const std::string &where, const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw mafio::Error(where + ".password_file: cannot read \"" + path +
                           "\": " + std::strerror(errno));
    std::ostringstream ss;
    ss << in.rdbuf();
    std::string pw = ss.str();
    // One trailing line end is the file's, not the password's (echo pw > file).
    if (!pw.empty() && pw.back() == '\n') pw.pop_back();
    if (!pw.empty() && pw.back() == '\r') pw.pop_back();
    if (pw.empty())
        throw mafio::Error(where + ".password_file: \"" + path +
                           "\" is empty; expected the "
                           "broker password");
    return pw;
}

// `urls` (a string or a list; each string may hold several URLs separated by commas) or the
// original's `rmq_address` (a comma-separated string).
inline std::vector<std::string> url_texts(mafio::Options &opts) {
    const bool has_urls = opts.has("urls"), has_alias = opts.has("rmq_address");
    if (has_urls && has_alias)
        throw mafio::Error(opts.where() + ".rmq_address: the original's name for urls; set "
                                          "one of them, not both");
    const char *key = has_alias ? "rmq_address" : "urls";
    std::vector<std::string> out;
    for (const std::string &s : opts.strings(key))
        for (std::string &one : split_urls(s))
            out.push_back(std::move(one));
    if (out.empty())
        throw mafio::Error(opts.where() +
                           ".urls: required, expected a list of broker URLs such as "
                           "[\"amqp://user@host:5672/vhost\"] (or the original's rmq_address "
                           "string, comma-separated)");
    return out;
}

} // namespace detail

inline Settings read_settings(mafio::Options &opts) {
    const std::string &w = opts.where();
    Settings s;
    const std::vector<std::string> texts = detail::url_texts(opts);
    for (size_t i = 0; i < texts.size(); ++i) {
        try {
            s.urls.push_back(parse_url(texts[i]));
        } catch (const std::invalid_argument &e) {
            throw mafio::Error(w + ".urls[" + std::to_string(i) + "]: \"" + redact(texts[i]) +
                               "\": " + e.what());
        }
    }
    if (opts.has("queue") && opts.has("rmq_key"))
        throw mafio::Error(w + ".rmq_key: the original's name for queue; set one, not both");
    s.queue = opts.has("rmq_key") ? opts.string("rmq_key", "") : opts.string("queue", "");
    s.exchange = opts.string("exchange", "");
    const bool has_type = opts.has("exchange_type"), has_durable = opts.has("exchange_durable"),
               has_declare = opts.has("exchange_declare");
    s.exchange_type =
        opts.choice("exchange_type", "direct", {"direct", "fanout", "topic", "headers"});
    s.exchange_durable = opts.boolean("exchange_durable", true);
    s.exchange_declare = opts.boolean("exchange_declare", true);
    s.routing_key = opts.string("routing_key", "");
    if (s.queue.empty() == s.exchange.empty())
        throw mafio::Error(w + (s.queue.empty() ? ".queue: required: set queue (declared durable, "
                                                  "published to through the default exchange) "
                                                  "or exchange (with routing_key)"
                                                : ".exchange: set queue or exchange, not both"));
    if (!s.queue.empty() && (has_type || has_durable || has_declare || !s.routing_key.empty()))
        throw mafio::Error(w + "." +
                           (!s.routing_key.empty() ? "routing_key"
                            : has_type             ? "exchange_type"
                            : has_durable          ? "exchange_durable"
                                                   : "exchange_declare") +
                           ": only with exchange; with queue, messages go through the default "
                           "exchange with the queue's name as routing key");
    s.persistent = opts.boolean("persistent", true);
    s.framing = opts.choice("message", "record", {"record", "bulk"}) == "bulk" ? Framing::bulk
                                                                               : Framing::record;
    s.on_unroutable = opts.choice("on_unroutable", "drop", {"drop", "retry"}) == "retry"
                          ? Unroutable::retry
                          : Unroutable::drop;
    const std::string password_file = opts.string("password_file", "");
    if (!password_file.empty()) {
        const std::string pw = detail::read_password_file(w, password_file);
        for (size_t i = 0; i < s.urls.size(); ++i) {
            if (s.urls[i].has_password)
                throw mafio::Error(w + ".urls[" + std::to_string(i) + "]: \"" +
                                   s.urls[i].redacted() +
                                   "\" has a password and password_file is set; keep one");
            s.urls[i].password = pw;
        }
    }
    s.ca_file = opts.string("ca_file", "");
    s.cert_file = opts.string("cert_file", "");
    s.key_file = opts.string("key_file", "");
    s.tls_verify = opts.boolean("tls_verify", true);
    if (s.cert_file.empty() != s.key_file.empty())
        throw mafio::Error(w + (s.cert_file.empty() ? ".cert_file" : ".key_file") +
                           ": cert_file and key_file go together (a client certificate and its "
                           "key)");
    bool any_tls = false;
    for (const BrokerUrl &u : s.urls)
        any_tls = any_tls || u.tls;
    if (!any_tls && (!s.ca_file.empty() || !s.cert_file.empty()))
        throw mafio::Error(w + (s.ca_file.empty() ? ".cert_file" : ".ca_file") +
                           ": TLS files are set but no URL is amqps://");
    for (const char *key : {"ca_file", "cert_file", "key_file"}) {
        const std::string &f =
            key[0] == 'c' ? (key[1] == 'a' ? s.ca_file : s.cert_file) : s.key_file;
        if (!f.empty() && !std::ifstream(f))
            throw mafio::Error(w + "." + key + ": cannot read \"" + f +
                               "\": " + std::strerror(errno));
    }
    s.heartbeat_s = static_cast<int>(opts.integer("heartbeat", 60, 0, 3600));
    s.connect_timeout_s = opts.seconds("connect_timeout", 10);
    s.confirm_timeout_s = opts.seconds("confirm_timeout", 30);
    if (s.connect_timeout_s <= 0)
        throw mafio::Error(w + ".connect_timeout: expected a duration above 0, such as \"5s\"");
    if (s.confirm_timeout_s <= 0)
        throw mafio::Error(w + ".confirm_timeout: expected a duration above 0, such as \"30s\"");
    return s;
}

} // namespace rabbitmq_v1
