#include "http/router.hpp"

#include <algorithm>

namespace mafio {

void Router::add(std::string path, std::vector<std::string> methods, Handler handler) {
    routes_.push_back(Route{std::move(path), std::move(methods), std::move(handler)});
}

HttpResponse Router::handle(const HttpRequest &request) const {
    for (const auto &r : routes_) {
        if (r.path != request.path) continue;
        if (std::find(r.methods.begin(), r.methods.end(), request.method) == r.methods.end()) {
            std::string allow, allowed_json = "[";
            for (size_t i = 0; i < r.methods.size(); ++i) {
                allow += (i ? ", " : "") + r.methods[i];
                allowed_json += (i ? ",\"" : "\"") + r.methods[i] + "\"";
            }
            HttpResponse resp = json_error(405, request.method + " is not allowed on " + r.path,
                                           {{"allowed", allowed_json + "]"}});
            resp.headers.emplace_back("Allow", allow);
            return resp;
        }
        return r.handler(request);
    }
    std::string known = "[";
    for (size_t i = 0; i < routes_.size(); ++i)
        known += (i ? ",\"" : "\"") + routes_[i].path + "\"";
    return json_error(404, "no endpoint at this path", {{"endpoints", known + "]"}});
}

} // namespace mafio
