// http:V1's connection to the server: one Poco HTTP(S) session kept alive across requests, and
// one request at a time sent on it, with every transport failure sorted into what the output
// does about it. Nothing here knows about records.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace Poco::Net {
class HTTPClientSession;
}

namespace http_v1 {

struct Endpoint {
    bool https = false;
    std::string host;
    unsigned short port = 0;
    std::string path_and_query; // the request target
    std::string shown;          // scheme://host:port/path for log lines: no query (it may hold
                                // credentials, as InfluxDB's ?u=&p= do)
};

// Parses `url`; throws mafio::Error naming `where` and what is accepted.
Endpoint parse_endpoint(const std::string &url, const std::string &where);

struct ClientSettings {
    Endpoint endpoint;
    std::string method; // "POST" or "PUT"
    std::chrono::milliseconds timeout{10000};
    std::string ca_file; // empty: the system's CAs
    bool insecure = false;
};

struct Reply {
    enum class Kind {
        status,     // the server answered: `status`
        timeout,    // no (complete) answer within the timeout
        connection, // refused, reset, closed without an answer, name not resolved
        tls,        // the TLS handshake failed (certificate not trusted, wrong host name)
    };
    Kind kind = Kind::connection;
    int status = 0;
    std::string reason;      // the status line's reason phrase
    std::string retry_after; // the Retry-After header, if any
    std::string body_head;   // the first bytes of the response body (for dead letters, logs)
    std::string error;       // what failed, for kinds other than status
    bool body_sent = false;  // the whole request left: the server may have acted on it
    // The request failed on a kept-alive connection and was sent again at once on a new one;
    // `unseen` counts the attempts that left whole but got no reply (the server may hold them).
    bool reconnected = false;
    int unseen = 0;
};

class Client {
public:
    explicit Client(ClientSettings s);
    ~Client();
    Client(const Client &) = delete;
    Client &operator=(const Client &) = delete;

    // Sends one request with `headers` (name, value) and `body`, and reads the reply. A request
    // that fails on a kept-alive connection before any reply is sent once more on a new one (the
    // server may have closed the idle connection just then).
    Reply send(const std::vector<std::pair<std::string, std::string>> &headers,
               const std::string &body);

    // Drops the connection (after a failure, or at stop).
    void reset();

private:
    Reply attempt(const std::vector<std::pair<std::string, std::string>> &headers,
                  const std::string &body);
    void connect_session();

    ClientSettings s_;
    std::unique_ptr<Poco::Net::HTTPClientSession> session_;
    bool used_ = false; // the session has carried a complete exchange
};

} // namespace http_v1
