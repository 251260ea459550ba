#include "metrics/influx_client.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/URI.h>

#include <charconv>
#include <sstream>

namespace mafio {

namespace {

std::optional<InfluxEndpoint> host_port(const std::string &text) {
    size_t colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0) return std::nullopt;
    unsigned port = 0;
    const char *first = text.data() + colon + 1, *last = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(first, last, port);
    if (ec != std::errc() || ptr != last || port < 1 || port > 65535) return std::nullopt;
    InfluxEndpoint e;
    e.host = text.substr(0, colon);
    if (e.host.size() > 2 && e.host.front() == '[' && e.host.back() == ']')
        e.host = e.host.substr(1, e.host.size() - 2);
    e.port = static_cast<uint16_t>(port);
    return e;
}

std::string encoded(const std::string &s) {
    std::string out;
    Poco::URI::encode(s, "!#$&'()*+,/:;=?@[]\"", out);
    return out;
}

} // namespace

std::optional<InfluxEndpoint> parse_influx_endpoint(const std::string &addr, std::string &error) {
    std::string rest = addr, path;
    if (rest.rfind("https://", 0) == 0) {
        error = "https is not supported by this build (no TLS library linked); use http:// or "
                "host:port, e.g. through a local TLS proxy";
        return std::nullopt;
    }
    if (rest.rfind("http://", 0) == 0) {
        rest = rest.substr(7);
        size_t slash = rest.find('/');
        if (slash != std::string::npos) {
            path = rest.substr(slash);
            rest = rest.substr(0, slash);
        }
    }
    auto e = host_port(rest);
    if (!e) {
        error = "expected host:port or http://host:port[/path], got \"" + addr + "\"";
        return std::nullopt;
    }
    while (!path.empty() && path.back() == '/')
        path.pop_back();
    e->base_path = path;
    return e;
}

InfluxClient::InfluxClient(InfluxEndpoint endpoint, std::string database,
                           std::chrono::milliseconds timeout)
    : endpoint_(std::move(endpoint)), database_(std::move(database)), timeout_(timeout) {}

std::string InfluxClient::url() const {
    return "http://" + endpoint_.host + ":" + std::to_string(endpoint_.port) + endpoint_.base_path;
}

InfluxResult InfluxClient::create_database() const {
    std::string quoted = "\"";
    for (char c : database_)
        quoted += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
    quoted += '"';
    return post("/query", "application/x-www-form-urlencoded",
                "q=" + encoded("CREATE DATABASE " + quoted));
}

InfluxResult InfluxClient::write(const std::string &body) const {
    return post("/write?db=" + encoded(database_) + "&precision=ns", "text/plain; charset=utf-8",
                body);
}

InfluxResult InfluxClient::post(const std::string &path_and_query, const std::string &content_type,
                                const std::string &body) const {
    using Poco::Net::HTTPResponse;
    try {
        Poco::Net::HTTPClientSession session(endpoint_.host, endpoint_.port);
        Poco::Timespan t(static_cast<long>(timeout_.count() / 1000),
                         static_cast<long>((timeout_.count() % 1000) * 1000));
        session.setTimeout(t, t, t);
        session.setKeepAlive(false);
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST,
                                       endpoint_.base_path + path_and_query,
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        request.setContentType(content_type);
        request.setContentLength(static_cast<std::streamsize>(body.size()));
        session.sendRequest(request) << body;
        HTTPResponse response;
        std::istream &in = session.receiveResponse(response);
        std::ostringstream reply;
        reply << in.rdbuf();
        int status = response.getStatus();
        if (status >= 200 && status < 300) {
            // /query reports statement errors with 200 and an "error" member.
            if (reply.str().find("\"error\"") != std::string::npos)
                return {InfluxResult::Kind::refused, "InfluxDB answered: " + reply.str()};
            return {InfluxResult::Kind::ok, ""};
        }
        std::string what = "HTTP " + std::to_string(status) + " " + response.getReason() + ": " +
                           reply.str().substr(0, 300);
        if (status == 404 && reply.str().find("database not found") != std::string::npos)
            return {InfluxResult::Kind::missing_database, what};
        // Bad points (400) or a refused request (other 4xx) fail the same way every time.
        if (status >= 400 && status < 500 && status != 408 && status != 429)
            return {InfluxResult::Kind::refused, what};
        return {InfluxResult::Kind::retry, what};
    } catch (const Poco::Exception &e) {
        return {InfluxResult::Kind::retry, e.displayText()};
    } catch (const std::exception &e) {
        return {InfluxResult::Kind::retry, e.what()};
    }
}

} // namespace mafio
