// A client of etcd v3 through its JSON gateway (etcd 3.4: POST /v3/...), keys and values base64.
// Endpoints form a cluster: a request that cannot reach one (refused, timed out, no leader) goes
// to the next, and the one that answered is tried first next time. Token auth (username and a
// password file) authenticates once and again when etcd says the token is no longer valid.
// TLS when an endpoint is https:// (CA, client certificate and key from the settings); the
// server's certificate is always verified (the CA file, else the system's CAs).
#pragma once

#include <rapidjson/document.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace Poco::Net {
class HTTPClientSession;
}

namespace mafio {

struct EtcdError : std::runtime_error {
    using std::runtime_error::runtime_error;
    bool unreachable = false; // no endpoint answered (as opposed to etcd refusing the request)
};

struct EtcdSettings {
    std::vector<std::string> endpoints; // "host:port", "http://host:port", "https://host:port"
    std::string username, password;     // token auth when username is not empty
    std::string ca_file, cert_file, key_file;
    std::chrono::milliseconds timeout{3000}; // connect and each unary request
};

// "a,b" -> {"a", "b"}.
std::vector<std::string> split_endpoints(const std::string &list);
// The end of the key range that holds every key starting with `prefix` (etcd's range_end).
std::string prefix_range_end(const std::string &prefix);

struct EtcdKeyValue {
    std::string key, value;
    int64_t mod_revision = 0;
};

// One message of a watch stream, decoded.
struct WatchMessage {
    int64_t revision = 0; // header.revision
    bool created = false, canceled = false;
    int64_t compact_revision = 0; // > 0: the start revision was compacted away
    std::string cancel_reason;
    struct Event {
        bool deleted = false;
        EtcdKeyValue kv;
    };
    std::vector<Event> events;
};
// Decodes one object of the stream ({"result": {...}} or {"error": {...}}). Throws EtcdError.
WatchMessage parse_watch_message(const std::string &json);

class EtcdClient {
public:
    explicit EtcdClient(EtcdSettings s);
    ~EtcdClient();

    // Throws EtcdError.
    std::vector<EtcdKeyValue> range(const std::string &key, const std::string &range_end,
                                    int64_t *revision = nullptr);
    int64_t put(const std::string &key, const std::string &value, int64_t lease = 0);
    void remove(const std::string &key);
    int64_t grant(int64_t ttl_s);
    int64_t keepalive(int64_t lease); // the TTL left; 0 when etcd no longer knows the lease
    void revoke(int64_t lease);

    // Watches [key, range_end) from `start_revision` until the stream ends (returns), a request
    // fails (throws EtcdError) or abort_watch() is called (returns). `on_message` returning
    // false ends the watch too.
    void watch(const std::string &key, const std::string &range_end, int64_t start_revision,
               const std::function<bool(const WatchMessage &)> &on_message);
    // From any thread: ends a watch() under way (its connection is shut down). `for_good`: every
    // later watch() returns at once too (the agent stops).
    void abort_watch(bool for_good = false);

    // The endpoint that answered last.
    std::string endpoint() const;

private:
    rapidjson::Document call(const std::string &path, const std::string &body);
    rapidjson::Document call_once(size_t endpoint, const std::string &path,
                                  const std::string &body);
    std::unique_ptr<Poco::Net::HTTPClientSession> session(size_t endpoint) const;
    void authenticate(size_t endpoint);

    EtcdSettings s_;
    mutable std::mutex mutex_; // guards current_, token_ and watch_session_
    size_t current_ = 0;
    std::string token_;
    Poco::Net::HTTPClientSession *watch_session_ = nullptr;
    bool closed_ = false;
};

} // namespace mafio
