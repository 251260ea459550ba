// A request as the endpoints see it and the response they return: plain data, no sockets, so
// the routing and every endpoint can be tested and reasoned about without a server.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace mafio {

struct HttpRequest {
    std::string method;                        // GET, POST, ...
    std::string path;                          // decoded, without the query
    std::map<std::string, std::string> params; // query string, plus a form-encoded body
    bool from_loopback = false;                // the peer is 127.0.0.0/8 or ::1
    std::string authorization;                 // the Authorization header, or ""
    std::string body;                          // a body that is not form-encoded (JSON), or ""
};

struct HttpResponse {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers; // e.g. Allow on a 405
};

// {"status": 404, "error": "Not Found", "message": "..."} plus any extra members, given as
// already-encoded JSON values by name.
HttpResponse json_error(int status, const std::string &message,
                        const std::vector<std::pair<std::string, std::string>> &extra = {});

const char *reason_phrase(int status);

} // namespace mafio
