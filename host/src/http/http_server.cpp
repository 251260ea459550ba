#include "http/http_server.hpp"

#include "http/admin_token.hpp"
#include "http/endpoints.hpp"
#include "http/poco_handler.hpp"
#include "util/log.hpp"
#include "util/quoted.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPServerConnectionFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <sys/stat.h>

namespace mafio {

namespace {

Poco::Timespan timespan(std::chrono::milliseconds ms) {
    return Poco::Timespan(static_cast<long>(ms.count() / 1000),
                          static_cast<long>((ms.count() % 1000) * 1000));
}

// Without a readable token the admin endpoints stay open to loopback only: refusing more than
// configured, never less. (The config check read the file a moment ago, so this is rare.)
AdminAccess admin_access(const std::string &token_file) {
    if (token_file.empty()) return {};
    try {
        std::string token = read_admin_token(token_file);
        struct stat st {};
        if (::stat(token_file.c_str(), &st) == 0 && (st.st_mode & 0077) != 0)
            log::warn("HTTP API: the admin token file {} can be read by other users (mode {:o}); "
                      "chmod 600 it",
                      mafio::quoted(token_file), st.st_mode & 0777);
        return AdminAccess(std::move(token));
    } catch (const std::exception &e) {
        log::error("HTTP API: http.admin_token_file: {}; admin endpoints answer loopback only",
                   e.what());
        return {};
    }
}

} // namespace

HttpServer::HttpServer(const AgentView &view, HttpLimits limits)
    : limits_(limits), router_(admin_access(view.cfg.http_admin_token_file)) {
    add_endpoints(router_, view);
}

HttpServer::~HttpServer() {
    stop();
}

bool HttpServer::start(const std::string &address) {
    Poco::Net::ServerSocket listening;
    try {
        std::string a = address.front() == ':' ? "0.0.0.0" + address : address;
        // reusePort stays off: with it a second agent could bind the same port and take half
        // of the first one's requests.
        listening.bind(Poco::Net::SocketAddress(a), true, false);
        listening.listen(256);
    } catch (const Poco::Exception &e) {
        // A warning, not an error: the pipeline matters more than its monitoring, and the
        // default address is often taken by another agent on the same host.
        log::warn("HTTP API: cannot listen on {} ({}); the agent runs without it", address,
                  e.displayText());
        return false;
    }

    auto *params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(limits_.max_threads);
    params->setMaxQueued(limits_.max_queued);
    params->setKeepAlive(false);
    params->setTimeout(timespan(limits_.io_timeout));
    params->setThreadIdleTime(Poco::Timespan(10, 0));
    params->setServerName("mafio");
    Poco::Net::HTTPServerParams::Ptr params_ptr(params);

    pool_ = std::make_unique<Poco::ThreadPool>("http", 1, limits_.max_threads, 60);
    auto factory = new Poco::Net::HTTPServerConnectionFactory(
        params_ptr, new RouterHandlerFactory(router_, limits_.max_body, requests_, bad_requests_));
    dispatcher_ = new Poco::Net::TCPServerDispatcher(factory, *pool_, params_ptr);
    reception_ = std::make_unique<Reception>(limits_, [this](const Poco::Net::StreamSocket &s) {
        if (dispatcher_->queuedConnections() >= limits_.max_queued) return false;
        dispatcher_->enqueue(s);
        return true;
    });
    log::info("HTTP API listening on {}", listening.address().toString());
    reception_->start(std::move(listening));
    return true;
}

void HttpServer::stop() {
    if (!reception_ || stopped_) return;
    stopped_ = true;
    reception_->stop(); // no new requests
    dispatcher_->stop();
    pool_->joinAll(); // the requests in progress finish
    dispatcher_->release();
    dispatcher_ = nullptr;
}

std::vector<OwnCounter> HttpServer::counters() const {
    std::vector<OwnCounter> out;
    out.push_back({"mafio_http_requests_total", "Requests the monitoring API answered.",
                   requests_.load(std::memory_order_relaxed)});
    if (reception_) {
        const auto &c = reception_->counters();
        out.push_back({"mafio_http_connections_total", "Connections the monitoring API accepted.",
                       c.accepted.load()});
        out.push_back(
            {"mafio_http_refused_total",
             "Requests refused before a worker saw them (400, 408, 411, 413, 414, 431, 503, 505).",
             c.refused.load()});
        out.push_back({"mafio_http_dropped_total",
                       "Connections closed without an answer (silent, gone, or evicted).",
                       c.dropped.load()});
    }
    return out;
}

} // namespace mafio
