// GET /metrics: Prometheus text format (metrics/snapshot_families.hpp lists the names).
#include "http/endpoints.hpp"
#include "metrics/prometheus_text.hpp"
#include "metrics/snapshot_families.hpp"

namespace mafio {

HttpResponse metrics_endpoint(const AgentView &view) {
    HttpResponse r;
    r.content_type = prometheus_content_type;
    r.body = prometheus_text(snapshot_families(view.snapshot()));
    return r;
}

} // namespace mafio
