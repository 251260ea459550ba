#include "http/router.hpp"

#include <algorithm>

namespace mafio {

namespace {

bool contains(const std::vector<std::string> &list, const std::string &s) {
    return std::find(list.begin(), list.end(), s) != list.end();
}

// "GET, HEAD" for an Allow header and ["GET","HEAD"] for a JSON body (methods and paths are
// ours: nothing to escape).
std::string joined(const std::vector<std::string> &list) {
    std::string s;
    for (const auto &m : list)
        s += (s.empty() ? "" : ", ") + m;
    return s;
}
std::string json_list(const std::vector<std::string> &list) {
    std::string s = "[";
    for (const auto &m : list)
        s += (s.size() > 1 ? ",\"" : "\"") + m + "\"";
    return s + "]";
}

} // namespace

void Router::add(std::string path, std::vector<std::string> methods, Handler handler) {
    if (contains(methods, "GET") && !contains(methods, "HEAD")) methods.push_back("HEAD");
    for (const auto &m : methods)
        if (!contains(implemented_, m)) implemented_.push_back(m);
    routes_.push_back(Route{std::move(path), std::move(methods), std::move(handler)});
}

HttpResponse Router::handle(const HttpRequest &request) const {
    if (!contains(implemented_, request.method))
        return json_error(501, "this API implements no " + request.method + " request",
                          {{"implemented", json_list(implemented_)}});
    // A path ending in '/' takes everything below it (/components/<id>/plugin).
    auto route = std::find_if(routes_.begin(), routes_.end(), [&](const Route &r) {
        return r.path == request.path || (r.path.size() > 1 && r.path.back() == '/' &&
                                          request.path.compare(0, r.path.size(), r.path) == 0);
    });
    if (route == routes_.end()) {
        std::vector<std::string> known;
        for (const auto &r : routes_)
            known.push_back(r.path);
        return json_error(404, "no endpoint at this path", {{"endpoints", json_list(known)}});
    }
    if (!contains(route->methods, request.method)) {
        HttpResponse resp = json_error(405, request.method + " is not allowed on " + route->path,
                                       {{"allowed", json_list(route->methods)}});
        resp.headers.emplace_back("Allow", joined(route->methods));
        return resp;
    }
    if (auto refused = admin_.refusal(request)) return std::move(*refused);
    if (request.method != "HEAD") return route->handler(request);
    // Poco leaves the body out of the answer to a HEAD request; the rest is GET's.
    HttpRequest get = request;
    get.method = "GET";
    return route->handler(get);
}

} // namespace mafio
