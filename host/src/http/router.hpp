// Maps a path to its endpoint and answers what no endpoint does, in this order: 501 for a
// method no endpoint takes (with the list of those the API implements), 404 for an unknown path
// (with the list of known ones), 405 with an Allow header for a method this endpoint does not
// take, then the admin rule (admin_access.hpp) for every method but GET and HEAD. HEAD is
// answered wherever GET is, as GET without the body.
#pragma once

#include "http/admin_access.hpp"
#include "http/http_exchange.hpp"

#include <functional>
#include <string>
#include <vector>

namespace mafio {

class Router {
public:
    using Handler = std::function<HttpResponse(const HttpRequest &)>;

    explicit Router(AdminAccess admin = {}) : admin_(std::move(admin)) {}

    void add(std::string path, std::vector<std::string> methods, Handler handler);
    HttpResponse handle(const HttpRequest &request) const;

private:
    struct Route {
        std::string path;
        std::vector<std::string> methods; // HEAD added where GET is
        Handler handler;
    };
    std::vector<Route> routes_;
    std::vector<std::string> implemented_; // every method of every route, in order
    AdminAccess admin_;
};

} // namespace mafio
