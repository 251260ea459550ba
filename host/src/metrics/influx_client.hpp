// The two InfluxDB 1.x HTTP calls the pusher makes: CREATE DATABASE and /write. One short-lived
// connection per call, with connect/send/receive timeouts, so a dead or slow server costs the
// pusher thread a bounded wait and nothing else.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace mafio {

struct InfluxEndpoint {
    std::string host;
    uint16_t port = 8086;
    std::string base_path; // "" or "/prefix" (a URL's path, for a server behind a proxy)
};

// "host:port" or "http://host:port[/path]". nullopt with `error` set for anything else
// (https needs TLS, which this build does not link).
std::optional<InfluxEndpoint> parse_influx_endpoint(const std::string &addr, std::string &error);

struct InfluxResult {
    enum class Kind { ok, retry, refused, missing_database };
    Kind kind = Kind::ok;
    std::string message; // what went wrong, for the log
};

class InfluxClient {
public:
    InfluxClient(InfluxEndpoint endpoint, std::string database, std::chrono::milliseconds timeout);

    // POST /query q=CREATE DATABASE "<db>" (a no-op when it exists).
    InfluxResult create_database() const;
    // POST /write?db=<db>&precision=ns with newline-separated lines.
    InfluxResult write(const std::string &body) const;

    std::string url() const; // for messages

private:
    InfluxResult post(const std::string &path_and_query, const std::string &content_type,
                      const std::string &body) const;

    InfluxEndpoint endpoint_;
    std::string database_;
    std::chrono::milliseconds timeout_;
};

} // namespace mafio
