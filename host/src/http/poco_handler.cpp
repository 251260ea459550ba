#include "http/poco_handler.hpp"

#include "util/log.hpp"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/URI.h>

#include <pthread.h>

namespace mafio {

namespace {

// name=value&... into `params` (later keys do not replace earlier ones).
void add_form(const std::string &form, std::map<std::string, std::string> &params) {
    Poco::URI uri;
    uri.setRawQuery(form);
    for (const auto &[k, v] : uri.getQueryParameters())
        params.emplace(k, v);
}

class RouterHandler : public Poco::Net::HTTPRequestHandler {
public:
    RouterHandler(const Router &router, size_t max_body) : router_(router), max_body_(max_body) {}

    void handleRequest(Poco::Net::HTTPServerRequest &in,
                       Poco::Net::HTTPServerResponse &out) override {
        // Poco's pool threads carry no OS name; name them for /debug?cmd=go.
        pthread_setname_np(pthread_self(), "http:worker");
        HttpResponse resp;
        try {
            resp = router_.handle(to_request(in));
        } catch (const std::exception &e) {
            log::warn("HTTP API: {} {}: {}", in.getMethod(), in.getURI(), e.what());
            resp = json_error(400, std::string("the request could not be read: ") + e.what());
        }
        out.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(resp.status),
                               reason_phrase(resp.status));
        out.setContentType(resp.content_type);
        out.setKeepAlive(false);
        for (const auto &[k, v] : resp.headers)
            out.set(k, v);
        out.sendBuffer(resp.body.data(), resp.body.size());
    }

private:
    HttpRequest to_request(Poco::Net::HTTPServerRequest &in) const {
        HttpRequest r;
        r.method = in.getMethod();
        Poco::URI uri(in.getURI());
        r.path = uri.getPath();
        for (const auto &[k, v] : uri.getQueryParameters())
            r.params.emplace(k, v);
        // The reception admitted the request only with its whole body (at most max_body) in
        // the socket buffer, so this read does not wait on the client.
        if (in.hasContentLength() && in.getContentLength() > 0) {
            std::string body(
                std::min<size_t>(static_cast<size_t>(in.getContentLength()), max_body_), '\0');
            in.stream().read(body.data(), static_cast<std::streamsize>(body.size()));
            body.resize(static_cast<size_t>(in.stream().gcount()));
            if (in.getContentType().rfind("application/x-www-form-urlencoded", 0) == 0)
                add_form(body, r.params);
        }
        return r;
    }

    const Router &router_;
    size_t max_body_;
};

} // namespace

Poco::Net::HTTPRequestHandler *
RouterHandlerFactory::createRequestHandler(const Poco::Net::HTTPServerRequest &) {
    requests_.fetch_add(1, std::memory_order_relaxed);
    return new RouterHandler(router_, max_body_);
}

} // namespace mafio
