#include "config/address_rules.hpp"

#include "config/value_rules.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace mafio {

namespace {

bool valid_port(std::string_view s) {
    unsigned port = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), port);
    return !s.empty() && ec == std::errc() && ptr == s.data() + s.size() && port >= 1 &&
           port <= 65535;
}

bool valid_host(std::string_view h) {
    if (h.size() > 2 && h.front() == '[' && h.back() == ']') { // IPv6 literal
        std::string_view inner = h.substr(1, h.size() - 2);
        return std::all_of(inner.begin(), inner.end(), [](char c) {
            return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
        });
    }
    // A DNS name or an IPv4 address.
    return !h.empty() && h.size() <= 253 && std::all_of(h.begin(), h.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
    });
}

// host:port, split at the last ':' so that "[::1]:80" keeps its brackets together.
bool valid_host_port(std::string_view s, bool host_may_be_empty) {
    size_t colon = s.rfind(':');
    if (colon == std::string_view::npos) return false;
    std::string_view host = s.substr(0, colon);
    if (host.empty() && !host_may_be_empty) return false;
    return (host.empty() || valid_host(host)) && valid_port(s.substr(colon + 1));
}

} // namespace

std::optional<std::string> check_listen_address(std::string_view value) {
    if (value.empty() || value == "off" || valid_host_port(value, true)) return std::nullopt;
    return "expected host:port with a port from 1 to 65535 (e.g. 0.0.0.0:10630 or :10630), or "
           "\"off\", got " +
           quoted(value);
}

std::optional<std::string> check_endpoint(std::string_view value) {
    // A cluster: endpoints separated by commas, each host:port or http(s)://host:port.
    bool ok = !value.empty();
    for (size_t start = 0; ok && start <= value.size();) {
        size_t comma = value.find(',', start);
        std::string_view one = value.substr(
            start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
        for (std::string_view scheme : {"http://", "https://"})
            if (one.substr(0, scheme.size()) == scheme) one.remove_prefix(scheme.size());
        ok = valid_host_port(one, false);
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    if (ok) return std::nullopt;
    return "expected host:port or http(s)://host:port with a port from 1 to 65535, several "
           "separated by commas (e.g. 127.0.0.1:2379,127.0.0.1:22379), got " +
           quoted(value);
}

std::optional<std::string> check_etcd_prefix(std::string_view value) {
    if (value.size() >= 2 && value.front() == '/' && value.back() != '/' &&
        value.find("//") == std::string_view::npos)
        return std::nullopt;
    return "expected a key prefix starting with '/' and not ending with one (e.g. \"/mafio\"), "
           "got " +
           quoted(value);
}

std::optional<std::string> check_influxdb_addr(std::string_view value) {
    if (value.empty() || valid_host_port(value, false)) return std::nullopt;
    for (std::string_view scheme : {"http://", "https://"}) {
        if (value.substr(0, scheme.size()) != scheme) continue;
        std::string_view rest = value.substr(scheme.size());
        if (valid_host_port(rest.substr(0, rest.find('/')), false)) return std::nullopt;
    }
    return "expected host:port or http(s)://host:port[/path] with a port from 1 to 65535 (e.g. "
           "127.0.0.1:8086), or \"\" to disable, got " +
           quoted(value);
}

} // namespace mafio
