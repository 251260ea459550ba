#include "client.hpp"

#include <mafio/options.hpp>

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/URI.h>

#include <Poco/Net/StreamSocket.h>

#include <algorithm>
#include <istream>
#include <limits>
#include <ostream>

namespace http_v1 {

namespace {

constexpr size_t kBodyHead = 512; // response bytes kept for dead letters and log lines

Poco::Timespan span(std::chrono::milliseconds ms) {
    return Poco::Timespan(static_cast<long>(ms.count() / 1000),
                          static_cast<long>((ms.count() % 1000) * 1000));
}

void send_all(Poco::Net::StreamSocket &socket, const std::string &body) {
    const char *p = body.data();
    size_t left = body.size();
    while (left > 0) {
        const int chunk = static_cast<int>(std::min<size_t>(left, 1u << 30));
        const int n = socket.sendBytes(p, chunk);
        if (n <= 0) throw Poco::Net::ConnectionResetException("the request body could not be sent");
        p += n;
        left -= static_cast<size_t>(n);
    }
}

} // namespace

Endpoint parse_endpoint(const std::string &url, const std::string &where) {
    const std::string accepted = "; expected http://host[:port]/path or https://host[:port]/path";
    Poco::URI uri;
    try {
        uri = Poco::URI(url);
    } catch (const Poco::Exception &e) {
        // The URL itself is not repeated: its query may hold credentials.
        throw mafio::Error(where + ": not a URL (" + e.message() + ")" + accepted);
    }
    Endpoint ep;
    if (uri.getScheme() == "https")
        ep.https = true;
    else if (uri.getScheme() != "http")
        throw mafio::Error(where + ": scheme \"" + uri.getScheme() + "\" is not supported" +
                           accepted);
    if (uri.getHost().empty()) throw mafio::Error(where + ": the URL has no host" + accepted);
    // Credentials in the URL would show wherever the URL does (the component id, -check):
    // they belong in user + password_file.
    if (!uri.getUserInfo().empty())
        throw mafio::Error(where + ": the URL holds credentials (user:password@); set \"user\" "
                                   "and \"password_file\" instead, which are never shown");
    ep.host = uri.getHost();
    ep.port = uri.getPort();
    ep.path_and_query = uri.getPathEtc();
    if (ep.path_and_query.empty()) ep.path_and_query = "/";
    const std::string host = ep.host.find(':') != std::string::npos ? "[" + ep.host + "]" : ep.host;
    ep.shown = uri.getScheme() + "://" + host + ":" + std::to_string(ep.port) +
               (uri.getPath().empty() ? "/" : uri.getPath());
    return ep;
}

Client::Client(ClientSettings s) : s_(std::move(s)) {}
Client::~Client() = default;

void Client::reset() {
    session_.reset();
    used_ = false;
}

void Client::connect_session() {
    const Endpoint &ep = s_.endpoint;
    if (ep.https) {
        // VERIFY_STRICT also checks the host name for loopback addresses, which VERIFY_RELAXED
        // skips; "DEFAULT": OpenSSL's own cipher choice rather than Poco's older list.
        Poco::Net::Context::Ptr ctx = new Poco::Net::Context(
            Poco::Net::Context::TLS_CLIENT_USE, s_.ca_file,
            s_.insecure ? Poco::Net::Context::VERIFY_NONE : Poco::Net::Context::VERIFY_STRICT, 9,
            s_.ca_file.empty(), "DEFAULT");
        ctx->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
        session_ = std::make_unique<Poco::Net::HTTPSClientSession>(ep.host, ep.port, ctx);
    } else {
        session_ = std::make_unique<Poco::Net::HTTPClientSession>(ep.host, ep.port);
    }
    session_->setKeepAlive(true);
    session_->setTimeout(span(s_.timeout), span(s_.timeout), span(s_.timeout));
    used_ = false;
}

Reply Client::send(const std::vector<std::pair<std::string, std::string>> &headers,
                   const std::string &body) {
    const bool reused = session_ && used_;
    Reply r = attempt(headers, body);
    // A kept-alive connection the server closed while idle fails at once with "no message" or
    // a reset; that is not the server failing this request, so it gets one fresh connection.
    if (reused && r.kind == Reply::Kind::connection) {
        const bool sent_before = r.body_sent;
        r = attempt(headers, body);
        r.reconnected = true;
        r.unseen += sent_before ? 1 : 0;
        r.body_sent = r.body_sent || sent_before;
    }
    return r;
}

Reply Client::attempt(const std::vector<std::pair<std::string, std::string>> &headers,
                      const std::string &body) {
    Reply r;
    try {
        if (!session_) connect_session();
        Poco::Net::HTTPRequest req(s_.method, s_.endpoint.path_and_query,
                                   Poco::Net::HTTPMessage::HTTP_1_1);
        req.setKeepAlive(true);
        for (const auto &[name, value] : headers)
            req.set(name, value);
        req.setContentLength(static_cast<std::streamsize>(body.size()));
        std::ostream &os = session_->sendRequest(req);
        // Connected now, nothing flushed yet. Without TCP_NODELAY, Nagle holds each small tail
        // of the body until the server's delayed ACK (tens of ms per request).
        session_->socket().setNoDelay(true);
        os.flush(); // the request head
        if (!os.good()) {
            // The stream swallowed the socket's exception; the session kept it.
            if (const Poco::Exception *e = session_->networkException()) e->rethrow();
            throw Poco::Net::ConnectionResetException("the request could not be sent");
        }
        // The body goes straight to the socket (TLS or not): Poco's request stream would cut it
        // into 4 KiB sends, one syscall each, which cost more CPU than everything else here.
        send_all(session_->socket(), body);
        r.body_sent = true;
        Poco::Net::HTTPResponse resp;
        std::istream &is = session_->receiveResponse(resp);
        r.kind = Reply::Kind::status;
        r.status = static_cast<int>(resp.getStatus());
        r.reason = resp.getReason();
        r.retry_after = resp.get("Retry-After", "");
        r.body_head.resize(kBodyHead);
        is.read(r.body_head.data(), static_cast<std::streamsize>(kBodyHead));
        r.body_head.resize(static_cast<size_t>(is.gcount()));
        // The rest is read (and dropped) so that the connection can carry the next request.
        is.ignore(std::numeric_limits<std::streamsize>::max());
        if (is.bad())
            reset();
        else
            used_ = true;
        if (!resp.getKeepAlive()) reset();
        return r;
    } catch (const Poco::TimeoutException &e) {
        r.kind = Reply::Kind::timeout;
        r.error = "no reply within the timeout (" + e.displayText() + ")";
    } catch (const Poco::Net::SSLException &e) {
        r.kind = Reply::Kind::tls;
        r.error = "TLS: " + e.displayText();
    } catch (const Poco::Exception &e) {
        r.kind = Reply::Kind::connection;
        r.error = e.displayText();
    } catch (const std::exception &e) {
        r.kind = Reply::Kind::connection;
        r.error = e.what();
    }
    if (r.body_sent) r.unseen = 1;
    reset(); // whatever failed, the next request starts on a fresh connection
    return r;
}

} // namespace http_v1
