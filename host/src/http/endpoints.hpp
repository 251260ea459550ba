// The monitoring API's endpoints, each a function from request to response over an AgentView.
// Every one builds its whole body from a snapshot before anything is written to the socket.
#pragma once

#include "http/agent_view.hpp"
#include "http/router.hpp"

namespace mafio {

// "OK" in plain text, as the original agent's /ping answered: a liveness probe for its tools.
HttpResponse ping_endpoint();
HttpResponse version_endpoint(const AgentView &view);
HttpResponse health_endpoint(const AgentView &view);
HttpResponse metrics_endpoint(const AgentView &view);
HttpResponse plugins_endpoint(const AgentView &view);
HttpResponse pipeline_endpoint(const AgentView &view);
// /debug?cmd=heap|gc|go; POST cmd=gc returns free memory to the OS.
HttpResponse debug_endpoint(const AgentView &view, const HttpRequest &request);

// POST /components/<id>/plugin {"plugin": "name:tag", "reset_position": false}: live swap
// (admin only, as every POST). Form or query parameters plugin=...&reset_position=true work too.
HttpResponse components_endpoint(const AgentView &view, const HttpRequest &request);

// POST /reload: reload the configuration now (admin only); 200 with what was applied, or 409
// with why nothing changed.
HttpResponse reload_endpoint(const AgentView &view);

// Registers all of the above.
void add_endpoints(Router &router, const AgentView &view);

} // namespace mafio
