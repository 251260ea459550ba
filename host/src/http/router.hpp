// Maps a path to its endpoint and answers what no endpoint does: 404 for an unknown path (with
// the list of known ones), 405 with an Allow header for a method the endpoint does not take.
#pragma once

#include "http/http_exchange.hpp"

#include <functional>
#include <string>
#include <vector>

namespace mafio {

class Router {
public:
    using Handler = std::function<HttpResponse(const HttpRequest &)>;

    void add(std::string path, std::vector<std::string> methods, Handler handler);
    HttpResponse handle(const HttpRequest &request) const;

private:
    struct Route {
        std::string path;
        std::vector<std::string> methods;
        Handler handler;
    };
    std::vector<Route> routes_;
};

} // namespace mafio
