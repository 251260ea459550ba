// The monitoring API server: the reception (reception.hpp) in front of Poco's HTTP connection
// handling on a bounded pool of workers (HttpLimits: max_threads, max_queued), with keep-alive
// off so that a worker serves one request and is free again.
#pragma once

#include "http/agent_view.hpp"
#include "http/bad_request_log.hpp"
#include "http/http_limits.hpp"
#include "http/reception.hpp"
#include "http/router.hpp"

#include <Poco/Net/TCPServerDispatcher.h>
#include <Poco/ThreadPool.h>

#include <atomic>
#include <memory>
#include <string>

namespace mafio {

class HttpServer {
public:
    // Reads the admin token file (view.cfg.http_admin_token_file) once, here.
    HttpServer(const AgentView &view, HttpLimits limits = {});
    ~HttpServer(); // stop()s
    HttpServer(const HttpServer &) = delete;
    HttpServer &operator=(const HttpServer &) = delete;

    // Listens on host:port (":port" for every interface). False, after logging why, when it
    // cannot: the agent then runs without its API.
    bool start(const std::string &address);
    void stop();

    std::vector<OwnCounter> counters() const;

private:
    HttpLimits limits_;
    Router router_;
    BadRequestLog bad_requests_;
    std::atomic<uint64_t> requests_{0};
    std::unique_ptr<Poco::ThreadPool> pool_;
    Poco::Net::TCPServerDispatcher *dispatcher_ = nullptr; // reference counted by Poco
    std::unique_ptr<Reception> reception_;                 // kept after stop() for its counters
    bool stopped_ = false;
};

} // namespace mafio
