#include "http/admin_access.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace mafio {

namespace {

std::string json_string(const std::string &s) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    w.String(s.c_str(), static_cast<rapidjson::SizeType>(s.size()));
    return {buf.GetString(), buf.GetSize()};
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

} // namespace

bool is_loopback_peer(const Poco::Net::IPAddress &address) {
    const auto *bytes = static_cast<const unsigned char *>(address.addr());
    if (address.family() == Poco::Net::IPAddress::IPv4) return bytes[0] == 127;
    if (address.length() != 16) return false;
    static const unsigned char v6_loopback[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    static const unsigned char v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(bytes, v6_loopback, 16) == 0) return true;
    return std::memcmp(bytes, v4_mapped, 12) == 0 && bytes[12] == 127;
}

bool is_mutating(std::string_view method) {
    return method != "GET" && method != "HEAD";
}

bool AdminAccess::token_matches(std::string_view authorization) const {
    // "Bearer" (any case), white space, the token.
    size_t space = authorization.find_first_of(" \t");
    if (space == std::string_view::npos || !iequals(authorization.substr(0, space), "Bearer"))
        return false;
    std::string_view given = authorization.substr(space);
    given.remove_prefix(std::min(given.find_first_not_of(" \t"), given.size()));
    while (!given.empty() && (given.back() == ' ' || given.back() == '\t'))
        given.remove_suffix(1);
    // Compared in a time that depends on the length only, so timing tells nothing of the
    // matching prefix.
    unsigned char diff = given.size() == token_.size() ? 0 : 1;
    for (size_t i = 0; i < token_.size(); ++i)
        diff |= static_cast<unsigned char>(token_[i] ^ (i < given.size() ? given[i] : 0));
    return diff == 0;
}

std::optional<HttpResponse> AdminAccess::refusal(const HttpRequest &request) const {
    if (!is_mutating(request.method)) return std::nullopt;
    if (!token_.empty() && token_matches(request.authorization)) return std::nullopt;
    // With a token file set, the token is needed from anywhere: on a shared host, or behind a
    // reverse proxy on the same host, "loopback" says nothing about who is asking.
    if (token_.empty() && request.from_loopback) return std::nullopt;
    const std::string what = request.method + " " + request.path;
    if (token_.empty()) {
        return json_error(
            403, what + " changes the agent: allowed from the agent's own host only",
            {{"authorize",
              json_string("call it on the agent's host (127.0.0.1 or ::1), or set "
                          "http.admin_token_file (-http-admin-token-file) to a file holding a "
                          "token and send \"Authorization: Bearer <token>\"")}});
    }
    const bool presented = !request.authorization.empty();
    HttpResponse r = json_error(
        401,
        what + (presented ? ": the credentials are not the token of http.admin_token_file"
                          : " changes the agent: it needs the token of http.admin_token_file"),
        {{"authorize", json_string("send \"Authorization: Bearer <token>\" with the token in "
                                   "the file http.admin_token_file names")}});
    r.headers.emplace_back("WWW-Authenticate",
                           presented ? R"(Bearer realm="mafio", error="invalid_token")"
                                     : R"(Bearer realm="mafio")");
    return r;
}

} // namespace mafio
