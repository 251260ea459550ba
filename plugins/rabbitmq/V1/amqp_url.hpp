// Broker URLs: amqp://user:pass@host:port/vhost and amqps://..., as the RabbitMQ URI spec
// writes them, parsed without librabbitmq (whose parser rewrites its buffer and says nothing of
// what is wrong), and redacted for every log line and error: a password is never printed.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace rabbitmq_v1 {

struct BrokerUrl {
    bool tls = false;
    std::string user = "guest";
    std::string password = "guest";
    bool has_password = false; // written in the URL (else guest's, or password_file's)
    std::string host = "localhost";
    uint16_t port = 5672;
    std::string vhost = "/";
    std::string text; // as written, for messages only through redacted()

    // The URL as written with its password replaced by "***".
    std::string redacted() const;
};

// `text` with the password of every URL in it replaced by "***" (also for text that does not
// parse as a URL, so that even an error about a bad URL does not print its password).
inline std::string redact(std::string_view text) {
    std::string out;
    size_t pos = 0;
    while (pos < text.size()) {
        const size_t scheme = text.find("://", pos);
        if (scheme == std::string_view::npos) break;
        const size_t auth = scheme + 3;
        size_t end = text.find_first_of("/?# ,\t\n\"", auth);
        if (end == std::string_view::npos) end = text.size();
        const size_t at = text.rfind('@', end == 0 ? 0 : end - 1);
        out.append(text.substr(pos, auth - pos));
        if (at != std::string_view::npos && at >= auth && at < end) {
            const std::string_view userinfo = text.substr(auth, at - auth);
            const size_t colon = userinfo.find(':');
            if (colon == std::string_view::npos)
                out.append(userinfo);
            else
                out.append(userinfo.substr(0, colon)).append(":***");
            out.append(text.substr(at, end - at));
        } else {
            out.append(text.substr(auth, end - auth));
        }
        pos = end;
    }
    out.append(text.substr(pos));
    return out;
}

inline std::string BrokerUrl::redacted() const {
    return redact(text);
}

namespace detail {

inline int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

inline std::string percent_decode(std::string_view s, const char *what) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') {
            out.push_back(s[i]);
            continue;
        }
        const int hi = i + 2 < s.size() ? hex_digit(s[i + 1]) : -1;
        const int lo = hi >= 0 ? hex_digit(s[i + 2]) : -1;
        if (lo < 0)
            throw std::invalid_argument(std::string("bad percent-encoding in the ") + what +
                                        " (expected %XX with two hex digits)");
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
    }
    return out;
}

} // namespace detail

// Parses one URL; throws std::invalid_argument saying what is wrong (never quoting the URL: the
// caller adds the redacted text). An empty path or "/" is the default vhost "/" (the original
// agent's Go client and most operators read amqp://host/ so); "/%2f" is "/" as well.
inline BrokerUrl parse_url(std::string_view text) {
    BrokerUrl u;
    u.text = std::string(text);
    std::string_view rest = text;
    if (rest.substr(0, 7) == "amqp://") {
        rest.remove_prefix(7);
    } else if (rest.substr(0, 8) == "amqps://") {
        rest.remove_prefix(8);
        u.tls = true;
        u.port = 5671;
    } else {
        throw std::invalid_argument("expected a URL starting with amqp:// or amqps://");
    }
    if (rest.find_first_of("?#") != std::string_view::npos)
        throw std::invalid_argument("query parameters and fragments are not supported (set "
                                    "heartbeat, connect_timeout and the TLS files as options)");
    const size_t slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    if (slash != std::string_view::npos) {
        const std::string_view path = rest.substr(slash + 1);
        if (path.find('/') != std::string_view::npos)
            throw std::invalid_argument("the vhost must be one path segment (write a / inside "
                                        "it as %2f)");
        if (!path.empty()) u.vhost = detail::percent_decode(path, "vhost");
    }
    const size_t at = authority.rfind('@');
    if (at != std::string_view::npos) {
        const std::string_view userinfo = authority.substr(0, at);
        authority.remove_prefix(at + 1);
        const size_t colon = userinfo.find(':');
        u.user = detail::percent_decode(userinfo.substr(0, colon), "user name");
        if (u.user.empty()) throw std::invalid_argument("empty user name before '@'");
        if (colon != std::string_view::npos) {
            u.password = detail::percent_decode(userinfo.substr(colon + 1), "password");
            u.has_password = true;
        }
    }
    std::string_view host = authority, port;
    if (!authority.empty() && authority.front() == '[') { // [IPv6]:port
        const size_t close = authority.find(']');
        if (close == std::string_view::npos) throw std::invalid_argument("unclosed '[' in host");
        host = authority.substr(1, close - 1);
        const std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') throw std::invalid_argument("expected ':port' after ']'");
            port = after.substr(1);
            if (port.empty()) throw std::invalid_argument("empty port after ':'");
        }
    } else {
        const size_t colon = authority.rfind(':');
        if (colon != std::string_view::npos) {
            host = authority.substr(0, colon);
            port = authority.substr(colon + 1);
            if (port.empty()) throw std::invalid_argument("empty port after ':'");
        }
    }
    if (!host.empty()) u.host = detail::percent_decode(host, "host");
    if (!port.empty()) {
        unsigned value = 0;
        for (char c : port) {
            if (c < '0' || c > '9' || value > 65535)
                throw std::invalid_argument("the port must be a number from 1 to 65535");
            value = value * 10 + static_cast<unsigned>(c - '0');
        }
        if (value == 0 || value > 65535)
            throw std::invalid_argument("the port must be a number from 1 to 65535");
        u.port = static_cast<uint16_t>(value);
    }
    return u;
}

// The original's rmq_address: URLs separated by commas (spaces around them ignored).
inline std::vector<std::string> split_urls(std::string_view list) {
    std::vector<std::string> out;
    size_t pos = 0;
    while (pos <= list.size()) {
        size_t comma = list.find(',', pos);
        if (comma == std::string_view::npos) comma = list.size();
        std::string_view one = list.substr(pos, comma - pos);
        while (!one.empty() && (one.front() == ' ' || one.front() == '\t'))
            one.remove_prefix(1);
        while (!one.empty() && (one.back() == ' ' || one.back() == '\t'))
            one.remove_suffix(1);
        if (!one.empty()) out.emplace_back(one);
        pos = comma + 1;
    }
    return out;
}

} // namespace rabbitmq_v1
