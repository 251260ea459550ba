#include "discovery/etcd_client.hpp"

#include "discovery/base64.hpp"
#include "discovery/json_stream.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/StreamCopier.h>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <sys/socket.h>

namespace mafio {

namespace {

using rapidjson::Value;

int64_t i64(const Value &obj, const char *key) {
    if (!obj.IsObject()) return 0;
    auto it = obj.FindMember(key);
    if (it == obj.MemberEnd()) return 0;
    if (it->value.IsInt64()) return it->value.GetInt64();
    if (it->value.IsString()) { // the gateway writes int64 as strings
        try {
            return std::stoll(it->value.GetString());
        } catch (const std::exception &) {
            return 0;
        }
    }
    return 0;
}

std::string str(const Value &obj, const char *key) {
    if (!obj.IsObject()) return {};
    auto it = obj.FindMember(key);
    if (it == obj.MemberEnd() || !it->value.IsString()) return {};
    return {it->value.GetString(), it->value.GetStringLength()};
}

std::string b64(const Value &obj, const char *key) {
    return base64_decode(str(obj, key)).value_or("");
}

// A JSON object of string members, numbers given as strings already where wanted.
std::string object(std::initializer_list<std::pair<const char *, std::string>> fields,
                   std::initializer_list<std::pair<const char *, int64_t>> numbers = {}) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    w.StartObject();
    for (const auto &[k, v] : fields) {
        w.Key(k);
        w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
    }
    for (const auto &[k, v] : numbers) {
        w.Key(k);
        w.Int64(v);
    }
    w.EndObject();
    return {buf.GetString(), buf.GetSize()};
}

struct Endpoint {
    bool tls = false;
    std::string host;
    uint16_t port = 2379;
};

Endpoint parse_endpoint(const std::string &e) {
    Endpoint out;
    std::string rest = e;
    if (rest.rfind("https://", 0) == 0) {
        out.tls = true;
        rest = rest.substr(8);
    } else if (rest.rfind("http://", 0) == 0) {
        rest = rest.substr(7);
    }
    const size_t colon = rest.rfind(':');
    out.host = rest.substr(0, colon);
    if (out.host.size() > 1 && out.host.front() == '[')
        out.host = out.host.substr(1, out.host.size() - 2);
    out.port = static_cast<uint16_t>(std::stoi(rest.substr(colon + 1)));
    return out;
}

// Answers that mean "this member cannot serve now; another may".
bool member_unavailable(int status, const std::string &message) {
    return status == 503 || status == 504 || message.find("no leader") != std::string::npos ||
           message.find("leader changed") != std::string::npos ||
           message.find("timed out") != std::string::npos ||
           message.find("not capable") != std::string::npos;
}

bool token_invalid(const std::string &message) {
    return message.find("invalid auth token") != std::string::npos ||
           message.find("token") != std::string::npos;
}

// A failed request, with what to set when it failed in the TLS handshake.
std::string describe(const Poco::Exception &e) {
    std::string out = e.displayText();
    if (out.find("certificate verify failed") != std::string::npos)
        out += " (etcd's certificate is not signed by a CA this agent trusts: set etcd.ca_file "
               "to the CA that signed it)";
    else if (out.find("alert bad certificate") != std::string::npos ||
             out.find("certificate required") != std::string::npos ||
             out.find("alert unknown ca") != std::string::npos)
        out += " (etcd refused this agent's client certificate, or wants one: set "
               "etcd.cert_file and etcd.key_file to a certificate signed by etcd's "
               "--trusted-ca-file)";
    return out;
}

EtcdError unreachable(const std::string &what) {
    EtcdError e(what);
    e.unreachable = true;
    return e;
}

} // namespace

std::vector<std::string> split_endpoints(const std::string &list) {
    std::vector<std::string> out;
    size_t start = 0;
    for (;;) {
        size_t comma = list.find(',', start);
        std::string one = list.substr(start, comma - start);
        if (!one.empty()) out.push_back(one);
        if (comma == std::string::npos) return out;
        start = comma + 1;
    }
}

std::string prefix_range_end(const std::string &prefix) {
    std::string end = prefix;
    while (!end.empty()) {
        auto &c = end.back();
        if (static_cast<unsigned char>(c) < 0xff) {
            c = static_cast<char>(c + 1);
            return end;
        }
        end.pop_back();
    }
    return std::string(1, '\0'); // every key
}

WatchMessage parse_watch_message(const std::string &json) {
    rapidjson::Document doc;
    doc.Parse(json.data(), json.size());
    if (doc.HasParseError() || !doc.IsObject())
        throw EtcdError("etcd sent a watch message that is not a JSON object");
    if (auto err = doc.FindMember("error"); err != doc.MemberEnd())
        throw EtcdError("etcd ended the watch: " + str(err->value, "message"));
    auto res = doc.FindMember("result");
    if (res == doc.MemberEnd()) throw EtcdError("etcd sent a watch message without \"result\"");
    const Value &r = res->value;
    WatchMessage m;
    if (auto h = r.FindMember("header"); h != r.MemberEnd()) m.revision = i64(h->value, "revision");
    auto flag = [&](const char *k) {
        auto it = r.FindMember(k);
        return it != r.MemberEnd() && it->value.IsBool() && it->value.GetBool();
    };
    m.created = flag("created");
    m.canceled = flag("canceled");
    m.compact_revision = i64(r, "compact_revision");
    m.cancel_reason = str(r, "cancel_reason");
    if (auto ev = r.FindMember("events"); ev != r.MemberEnd() && ev->value.IsArray())
        for (const auto &e : ev->value.GetArray()) {
            WatchMessage::Event out;
            out.deleted = str(e, "type") == "DELETE";
            if (auto kv = e.FindMember("kv"); kv != e.MemberEnd()) {
                out.kv.key = b64(kv->value, "key");
                out.kv.value = b64(kv->value, "value");
                out.kv.mod_revision = i64(kv->value, "mod_revision");
            }
            m.events.push_back(std::move(out));
        }
    return m;
}

EtcdClient::EtcdClient(EtcdSettings s) : s_(std::move(s)) {
    if (s_.endpoints.empty()) throw EtcdError("no etcd endpoint");
}

EtcdClient::~EtcdClient() = default;

std::string EtcdClient::endpoint() const {
    std::lock_guard lock(mutex_);
    return s_.endpoints[current_];
}

std::unique_ptr<Poco::Net::HTTPClientSession> EtcdClient::session(size_t i) const {
    const Endpoint e = parse_endpoint(s_.endpoints[i]);
    std::unique_ptr<Poco::Net::HTTPClientSession> out;
    if (e.tls) {
        // The server is always verified: against etcd.ca_file, or else the system's CAs (never
        // VERIFY_NONE: whoever answers would get the token and hand out the configuration).
        // VERIFY_STRICT also checks the host name for loopback addresses, which VERIFY_RELAXED
        // skips; "DEFAULT": OpenSSL's own cipher choice rather than Poco's older list.
        Poco::Net::Context::Ptr ctx = new Poco::Net::Context(
            Poco::Net::Context::TLS_CLIENT_USE, s_.key_file, s_.cert_file, s_.ca_file,
            Poco::Net::Context::VERIFY_STRICT, 9, s_.ca_file.empty(), "DEFAULT");
        ctx->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
        out = std::make_unique<Poco::Net::HTTPSClientSession>(e.host, e.port, ctx);
    } else {
        out = std::make_unique<Poco::Net::HTTPClientSession>(e.host, e.port);
    }
    out->setTimeout(Poco::Timespan(static_cast<long>(s_.timeout.count() / 1000),
                                   static_cast<long>(s_.timeout.count() % 1000) * 1000));
    return out;
}

void EtcdClient::authenticate(size_t i) {
    auto sess = session(i);
    const std::string body = object({{"name", s_.username}, {"password", s_.password}});
    Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_POST, "/v3/auth/authenticate",
                               Poco::Net::HTTPMessage::HTTP_1_1);
    req.setContentType("application/json");
    req.setContentLength(static_cast<std::streamsize>(body.size()));
    sess->sendRequest(req) << body;
    Poco::Net::HTTPResponse resp;
    std::string text;
    Poco::StreamCopier::copyToString(sess->receiveResponse(resp), text);
    rapidjson::Document doc;
    doc.Parse(text.data(), text.size());
    const std::string token = doc.IsObject() ? str(doc, "token") : "";
    if (resp.getStatus() != 200 || token.empty())
        throw EtcdError("etcd refused the credentials of etcd.username \"" + s_.username +
                        "\": " + (doc.IsObject() ? str(doc, "message") : text));
    std::lock_guard lock(mutex_);
    token_ = token;
}

rapidjson::Document EtcdClient::call_once(size_t i, const std::string &path,
                                          const std::string &body) {
    std::string token;
    {
        std::lock_guard lock(mutex_);
        token = token_;
    }
    if (!s_.username.empty() && token.empty()) {
        authenticate(i);
        std::lock_guard lock(mutex_);
        token = token_;
    }
    auto sess = session(i);
    Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_POST, path,
                               Poco::Net::HTTPMessage::HTTP_1_1);
    req.setContentType("application/json");
    req.setContentLength(static_cast<std::streamsize>(body.size()));
    if (!token.empty()) req.set("Authorization", token);
    sess->sendRequest(req) << body;
    Poco::Net::HTTPResponse resp;
    std::string text;
    Poco::StreamCopier::copyToString(sess->receiveResponse(resp), text);
    rapidjson::Document doc;
    doc.Parse(text.data(), text.size());
    const int status = static_cast<int>(resp.getStatus());
    if (status == 200 && doc.IsObject()) {
        if (auto r = doc.FindMember("result"); r != doc.MemberEnd()) {
            rapidjson::Document inner;
            inner.CopyFrom(r->value, inner.GetAllocator());
            return inner;
        }
        return doc;
    }
    std::string message = doc.IsObject() ? str(doc, "message") : "";
    if (message.empty() && doc.IsObject())
        if (auto e = doc.FindMember("error"); e != doc.MemberEnd())
            message = e->value.IsString() ? e->value.GetString() : str(e->value, "message");
    if (message.empty()) message = text.substr(0, 200);
    message = path + " answered " + std::to_string(status) + ": " + message;
    if (member_unavailable(status, message)) throw unreachable(message);
    if (!s_.username.empty() && token_invalid(message)) {
        std::lock_guard lock(mutex_);
        token_.clear();
    }
    throw EtcdError(message);
}

rapidjson::Document EtcdClient::call(const std::string &path, const std::string &body) {
    size_t first;
    {
        std::lock_guard lock(mutex_);
        first = current_;
    }
    std::string errors;
    bool retried_auth = false;
    for (size_t n = 0; n < s_.endpoints.size(); ++n) {
        const size_t i = (first + n) % s_.endpoints.size();
        try {
            rapidjson::Document d = call_once(i, path, body);
            std::lock_guard lock(mutex_);
            current_ = i;
            return d;
        } catch (const EtcdError &e) {
            if (!e.unreachable) {
                // A token that expired is renewed once; anything else etcd refused is final.
                bool renew = false;
                {
                    std::lock_guard lock(mutex_);
                    renew = !s_.username.empty() && token_.empty() && !retried_auth;
                }
                if (!renew) throw;
                retried_auth = true;
                --n;
                continue;
            }
            errors += (errors.empty() ? "" : "; ") + s_.endpoints[i] + ": " + e.what();
        } catch (const Poco::Exception &e) {
            errors += (errors.empty() ? "" : "; ") + s_.endpoints[i] + ": " + describe(e);
        } catch (const std::exception &e) {
            errors += (errors.empty() ? "" : "; ") + s_.endpoints[i] + ": " + e.what();
        }
    }
    throw unreachable(errors);
}

std::vector<EtcdKeyValue> EtcdClient::range(const std::string &key, const std::string &range_end,
                                            int64_t *revision) {
    auto d =
        call("/v3/kv/range", range_end.empty() ? object({{"key", base64_encode(key)}})
                                               : object({{"key", base64_encode(key)},
                                                         {"range_end", base64_encode(range_end)}}));
    if (revision)
        if (auto h = d.FindMember("header"); h != d.MemberEnd())
            *revision = i64(h->value, "revision");
    std::vector<EtcdKeyValue> out;
    if (auto kvs = d.FindMember("kvs"); kvs != d.MemberEnd() && kvs->value.IsArray())
        for (const auto &kv : kvs->value.GetArray())
            out.push_back({b64(kv, "key"), b64(kv, "value"), i64(kv, "mod_revision")});
    return out;
}

int64_t EtcdClient::put(const std::string &key, const std::string &value, int64_t lease) {
    auto d = call("/v3/kv/put",
                  lease ? object({{"key", base64_encode(key)}, {"value", base64_encode(value)}},
                                 {{"lease", lease}})
                        : object({{"key", base64_encode(key)}, {"value", base64_encode(value)}}));
    auto h = d.FindMember("header");
    return h == d.MemberEnd() ? 0 : i64(h->value, "revision");
}

void EtcdClient::remove(const std::string &key) {
    call("/v3/kv/deleterange", object({{"key", base64_encode(key)}}));
}

int64_t EtcdClient::grant(int64_t ttl_s) {
    auto d = call("/v3/lease/grant", object({}, {{"TTL", ttl_s}}));
    const int64_t id = i64(d, "ID");
    if (id == 0) throw EtcdError("etcd granted no lease: " + str(d, "error"));
    return id;
}

int64_t EtcdClient::keepalive(int64_t lease) {
    auto d = call("/v3/lease/keepalive", object({}, {{"ID", lease}}));
    return i64(d, "TTL");
}

void EtcdClient::revoke(int64_t lease) {
    call("/v3/lease/revoke", object({}, {{"ID", lease}}));
}

void EtcdClient::abort_watch(bool for_good) {
    std::lock_guard lock(mutex_);
    closed_ = closed_ || for_good;
    if (watch_session_) ::shutdown(watch_session_->socket().impl()->sockfd(), SHUT_RDWR);
}

void EtcdClient::watch(const std::string &key, const std::string &range_end, int64_t start_revision,
                       const std::function<bool(const WatchMessage &)> &on_message) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    w.StartObject();
    w.Key("create_request");
    w.StartObject();
    w.Key("key");
    w.String(base64_encode(key).c_str());
    w.Key("range_end");
    w.String(base64_encode(range_end).c_str());
    if (start_revision > 0) {
        w.Key("start_revision");
        w.Int64(start_revision);
    }
    w.EndObject();
    w.EndObject();
    const std::string body(buf.GetString(), buf.GetSize());

    size_t first;
    std::string token;
    {
        std::lock_guard lock(mutex_);
        first = current_;
        token = token_;
        if (closed_) return;
    }
    std::string errors;
    for (size_t n = 0; n < s_.endpoints.size(); ++n) {
        const size_t i = (first + n) % s_.endpoints.size();
        std::unique_ptr<Poco::Net::HTTPClientSession> sess;
        try {
            if (!s_.username.empty() && token.empty()) {
                authenticate(i);
                std::lock_guard lock(mutex_);
                token = token_;
            }
            sess = session(i);
            Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_POST, "/v3/watch",
                                       Poco::Net::HTTPMessage::HTTP_1_1);
            req.setContentType("application/json");
            req.setContentLength(static_cast<std::streamsize>(body.size()));
            if (!token.empty()) req.set("Authorization", token);
            sess->sendRequest(req) << body;
            Poco::Net::HTTPResponse resp;
            std::istream &rs = sess->receiveResponse(resp);
            if (resp.getStatus() != 200) {
                std::string text;
                Poco::StreamCopier::copyToString(rs, text);
                errors += (errors.empty() ? "" : "; ") + s_.endpoints[i] + ": /v3/watch answered " +
                          std::to_string(static_cast<int>(resp.getStatus())) + ": " +
                          text.substr(0, 200);
                continue;
            }
            {
                std::lock_guard lock(mutex_);
                if (closed_) return;
                watch_session_ = sess.get();
                current_ = i;
            }
            // The stream may stay silent for as long as nothing changes: no read timeout;
            // abort_watch() shuts the socket down instead.
            sess->socket().setReceiveTimeout(Poco::Timespan(0, 0));
            JsonStreamSplitter splitter;
            char chunk[4096];
            bool go_on = true;
            while (go_on) {
                std::streamsize got = rs.readsome(chunk, sizeof chunk);
                if (got <= 0) {
                    int c = rs.get();
                    if (c == std::char_traits<char>::eof()) break;
                    chunk[0] = static_cast<char>(c);
                    got = 1;
                }
                for (const auto &msg : splitter.feed({chunk, static_cast<size_t>(got)})) {
                    WatchMessage m = parse_watch_message(msg);
                    if (!on_message(m)) {
                        go_on = false;
                        break;
                    }
                }
            }
            std::lock_guard lock(mutex_);
            watch_session_ = nullptr;
            return;
        } catch (const EtcdError &) {
            std::lock_guard lock(mutex_);
            watch_session_ = nullptr;
            throw;
        } catch (const Poco::Exception &e) {
            std::lock_guard lock(mutex_);
            const bool streaming = watch_session_ != nullptr;
            watch_session_ = nullptr;
            if (streaming || closed_) return; // the stream broke: the caller reconnects
            errors += (errors.empty() ? "" : "; ") + s_.endpoints[i] + ": " + describe(e);
        } catch (const std::exception &e) {
            std::lock_guard lock(mutex_);
            const bool streaming = watch_session_ != nullptr;
            watch_session_ = nullptr;
            if (streaming || closed_) return;
            errors += (errors.empty() ? "" : "; ") + s_.endpoints[i] + ": " + e.what();
        }
    }
    throw unreachable(errors);
}

} // namespace mafio
