// GET /version: what runs, where it came from, for how long.
#include "build_info.hpp"
#include "http/endpoints.hpp"
#include "http/json_out.hpp"
#include "metrics/process_stats.hpp"

#include <mafio/plugin.h>

namespace mafio {

HttpResponse version_endpoint(const AgentView &view) {
    ProcessSnapshot p = read_process_snapshot();
    JsonOut j;
    j.w().StartObject();
    j.field("name", "mafio");
    j.field("version", build::version);
    j.field("plugin_abi", std::to_string(MAFIO_ABI_MAJOR) + "." + std::to_string(MAFIO_ABI_MINOR));
    j.key("build");
    j.w().StartObject();
    j.field("compiler", build::compiler);
    j.field("type", build::build_type);
    j.field("commit", build::commit);
    j.w().EndObject();
    j.key("agent");
    j.w().StartObject();
    j.field("id", view.cfg.agent_id);
    j.field("group", view.cfg.agent_group);
    j.w().EndObject();
    j.field("start_time", rfc3339(p.start_time_s));
    j.field("uptime_seconds", p.uptime_s);
    j.w().EndObject();
    return j.response();
}

} // namespace mafio
