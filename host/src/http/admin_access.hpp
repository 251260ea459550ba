// Who may call the endpoints that change the agent (every method but GET and HEAD: today
// POST /debug?cmd=gc, later /reload and plugin swaps). A peer on loopback may, as may anyone
// presenting "Authorization: Bearer <token>" with the token of http.admin_token_file
// (-http-admin-token-file). Everyone else gets 401 or 403 with a JSON body that says how to
// authorise. The API keeps binding 0.0.0.0 by default, as the original agent did, so this rule
// is what keeps a remote client from changing the agent.
//
// The token is read once, at start (admin_token.hpp); it never appears in a log line or an
// answer.
#pragma once

#include "http/http_exchange.hpp"

#include <Poco/Net/IPAddress.h>

#include <optional>
#include <string>
#include <string_view>

namespace mafio {

// 127.0.0.0/8, ::1, and 127.x.y.z mapped into IPv6 (::ffff:127.0.0.1, a dual-stack socket).
bool is_loopback_peer(const Poco::Net::IPAddress &address);

// Every method but GET and HEAD changes something.
bool is_mutating(std::string_view method);

class AdminAccess {
public:
    AdminAccess() = default; // no token: loopback only
    explicit AdminAccess(std::string token) : token_(std::move(token)) {}

    // Nothing when the request may go on, else the 401/403 answer.
    std::optional<HttpResponse> refusal(const HttpRequest &request) const;

private:
    bool token_matches(std::string_view authorization) const;

    std::string token_;
};

} // namespace mafio
