#include "http/endpoints.hpp"

#include "http/json_out.hpp"

#include <ctime>

namespace mafio {

std::string rfc3339(double unix_seconds) {
    std::time_t whole = static_cast<std::time_t>(unix_seconds);
    int millis = static_cast<int>((unix_seconds - static_cast<double>(whole)) * 1000);
    std::tm tm{};
    gmtime_r(&whole, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    char out[48];
    std::snprintf(out, sizeof out, "%s.%03dZ", buf, millis);
    return out;
}

HttpResponse ping_endpoint() {
    HttpResponse r;
    r.content_type = "text/plain; charset=utf-8";
    r.body = "OK";
    return r;
}

void add_endpoints(Router &router, const AgentView &view) {
    const AgentView *v = &view;
    router.add("/ping", {"GET"}, [](const HttpRequest &) { return ping_endpoint(); });
    router.add("/version", {"GET"}, [v](const HttpRequest &) { return version_endpoint(*v); });
    router.add("/health", {"GET"}, [v](const HttpRequest &) { return health_endpoint(*v); });
    router.add("/metrics", {"GET"}, [v](const HttpRequest &) { return metrics_endpoint(*v); });
    router.add("/plugins", {"GET"}, [v](const HttpRequest &) { return plugins_endpoint(*v); });
    router.add("/pipeline", {"GET"}, [v](const HttpRequest &) { return pipeline_endpoint(*v); });
    router.add("/reload", {"POST"}, [v](const HttpRequest &) { return reload_endpoint(*v); });
    router.add("/components/", {"POST"},
               [v](const HttpRequest &r) { return components_endpoint(*v, r); });
    router.add("/debug", {"GET", "POST"},
               [v](const HttpRequest &r) { return debug_endpoint(*v, r); });
}

} // namespace mafio
