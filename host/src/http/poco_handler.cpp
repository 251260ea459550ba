#include "http/poco_handler.hpp"

#include "http/admin_access.hpp"
#include "http/request_params.hpp"
#include "util/quoted.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/URI.h>

#include <pthread.h>

namespace mafio {

namespace {

// Thrown for a request that is well-formed HTTP but whose parameters are not acceptable.
struct RepeatedParameter {
    std::string name;
};

class RouterHandler : public Poco::Net::HTTPRequestHandler {
public:
    RouterHandler(const Router &router, size_t max_body, BadRequestLog &bad_requests)
        : router_(router), max_body_(max_body), bad_requests_(bad_requests) {}

    void handleRequest(Poco::Net::HTTPServerRequest &in,
                       Poco::Net::HTTPServerResponse &out) override {
        // Poco's pool threads carry no OS name; name them for /debug?cmd=go.
        pthread_setname_np(pthread_self(), "http:worker");
        HttpResponse resp;
        try {
            resp = router_.handle(to_request(in));
        } catch (const RepeatedParameter &r) {
            resp = json_error(400, "the parameter " + mafio::quoted(r.name) +
                                       " is given more than once; give it once");
        } catch (const Poco::Exception &e) {
            resp = unreadable(in, e.displayText());
        } catch (const std::exception &e) {
            resp = unreadable(in, e.what());
        }
        // Our own protocol version, whatever the request line said: Poco would echo it.
        out.setVersion(in.getVersion() == Poco::Net::HTTPMessage::HTTP_1_0
                           ? Poco::Net::HTTPMessage::HTTP_1_0
                           : Poco::Net::HTTPMessage::HTTP_1_1);
        out.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(resp.status),
                               reason_phrase(resp.status));
        out.setContentType(resp.content_type);
        out.setKeepAlive(false);
        for (const auto &[k, v] : resp.headers)
            out.set(k, v);
        out.sendBuffer(resp.body.data(), resp.body.size());
    }

private:
    HttpResponse unreadable(const Poco::Net::HTTPServerRequest &in, const std::string &why) {
        bad_requests_.note(in.getMethod(), in.getURI(), why);
        return json_error(400, "the request could not be read: " + why);
    }

    HttpRequest to_request(Poco::Net::HTTPServerRequest &in) const {
        HttpRequest r;
        r.method = in.getMethod();
        r.from_loopback = is_loopback_peer(in.clientAddress().host());
        r.authorization = in.get("Authorization", "");
        Poco::URI uri(in.getURI());
        r.path = uri.getPath();
        if (auto repeated = add_parameters(uri.getRawQuery(), r.params))
            throw RepeatedParameter{*repeated};
        // The reception admitted the request only with its whole body (at most max_body) in
        // the socket buffer, so this read does not wait on the client.
        if (in.hasContentLength() && in.getContentLength() > 0) {
            std::string body(
                std::min<size_t>(static_cast<size_t>(in.getContentLength()), max_body_), '\0');
            in.stream().read(body.data(), static_cast<std::streamsize>(body.size()));
            body.resize(static_cast<size_t>(in.stream().gcount()));
            // A body that starts with '{' is JSON whatever its Content-Type says: `curl -d`
            // labels every body form-encoded.
            const bool json = body.find_first_not_of(" \t\r\n") != std::string::npos &&
                              body[body.find_first_not_of(" \t\r\n")] == '{';
            if (!json && in.getContentType().rfind("application/x-www-form-urlencoded", 0) == 0) {
                if (auto repeated = add_parameters(body, r.params))
                    throw RepeatedParameter{*repeated};
            } else {
                r.body = std::move(body);
            }
        }
        return r;
    }

    const Router &router_;
    size_t max_body_;
    BadRequestLog &bad_requests_;
};

} // namespace

Poco::Net::HTTPRequestHandler *
RouterHandlerFactory::createRequestHandler(const Poco::Net::HTTPServerRequest &) {
    requests_.fetch_add(1, std::memory_order_relaxed);
    return new RouterHandler(router_, max_body_, bad_requests_);
}

} // namespace mafio
