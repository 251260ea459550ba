// The bridge from Poco's HTTP server to the Router: turns a Poco request into an HttpRequest,
// asks the router, and writes the finished response in one go. A request it cannot read (a
// malformed percent-encoding, a parameter given twice) is answered 400; the former is also
// logged, through the rate-limited BadRequestLog.
#pragma once

#include "http/bad_request_log.hpp"
#include "http/router.hpp"

#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include <atomic>

namespace mafio {

class RouterHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    RouterHandlerFactory(const Router &router, size_t max_body, std::atomic<uint64_t> &requests,
                         BadRequestLog &bad_requests)
        : router_(router), max_body_(max_body), requests_(requests), bad_requests_(bad_requests) {}
    Poco::Net::HTTPRequestHandler *
    createRequestHandler(const Poco::Net::HTTPServerRequest &request) override;

private:
    const Router &router_;
    size_t max_body_;
    std::atomic<uint64_t> &requests_;
    BadRequestLog &bad_requests_;
};

} // namespace mafio
