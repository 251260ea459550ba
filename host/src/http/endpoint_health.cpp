// GET /health: 200 {"status": "ok"} while every input runs and no output has been failing for
// longer than health.output_failing_after; otherwise 503 with one reason per problem. While an
// input's checkpoints cannot be stored (retried every checkpoint_interval), the data still
// flows but a crash would repeat more than it should: 200 with status "degraded" and why.
// Warnings do not change the status: a plugin gauge named warn_<condition> with a value > 0
// (the convention of mafio/abi/metric.h) is listed as "<component id>: <condition> (<help>)"
// in "warnings", with status "ok" and 200 as long as nothing fails.
#include "http/endpoints.hpp"
#include "http/json_out.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>

namespace mafio {

HttpResponse health_endpoint(const AgentView &view) {
    AgentSnapshot snap = view.snapshot();
    const double limit_s = view.cfg.health_output_failing_after_s;
    const int64_t now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
    std::vector<std::string> reasons, degraded, warnings;
    // A plugins directory the operator named that is not there: plugins quietly come from
    // elsewhere (the start logged it once; this says it for as long as it holds).
    const char *env_dir = std::getenv("MAFIO_PLUGINS_DIR");
    for (const auto &[dir, by] :
         {std::pair<std::string, const char *>{view.cfg.plugins_dir, "plugins_dir"},
          {env_dir ? env_dir : "", "MAFIO_PLUGINS_DIR"}}) {
        std::error_code ec;
        if (!dir.empty() && !std::filesystem::is_directory(dir, ec))
            warnings.push_back(fmt::format("{} \"{}\" is not a directory; plugins are looked for "
                                           "in the other directories only",
                                           by, dir));
    }
    if (view.last_reload_error)
        if (std::string e = view.last_reload_error(); !e.empty())
            warnings.push_back("the last reload was refused, nothing changed: " + e);
    // etcd out of reach costs registration and central configuration, never data: degraded.
    if (view.discovery_trouble)
        if (std::string t = view.discovery_trouble(); !t.empty()) degraded.push_back(t);
    for (const auto &i : snap.instances) {
        for (const auto &m : i.plugin_metrics)
            if (m.kind == MetricSet::Kind::gauge && m.value > 0 && m.name.rfind("warn_", 0) == 0 &&
                m.name.size() > 5)
                warnings.push_back(fmt::format("{}: {} ({})", i.id, m.name.substr(5), m.help));
        if (i.kind == "input" && i.stopped_on_error)
            reasons.push_back(fmt::format("{} ({}) stopped on an error", i.id, i.plugin));
        if (i.kind == "input" && i.checkpoint_store_failing)
            degraded.push_back(fmt::format("{} ({}): its checkpoints cannot be stored (retried "
                                           "every checkpoint_interval; see the log)",
                                           i.id, i.plugin));
        if (i.kind == "output" && i.failing_since_ns > 0) {
            double failing_s = static_cast<double>(now_ns - i.failing_since_ns) / 1e9;
            if (failing_s >= limit_s)
                reasons.push_back(fmt::format(
                    "{} ({}) has been failing for {:.0f} s (health.output_failing_after is {} s)",
                    i.id, i.plugin, failing_s, limit_s));
        }
    }
    JsonOut j;
    j.w().StartObject();
    j.field("status", !reasons.empty() ? "failing" : !degraded.empty() ? "degraded" : "ok");
    j.field("state", snap.stopping ? "stopping" : "running");
    if (!reasons.empty()) j.field("reasons", reasons);
    if (!degraded.empty()) j.field("degraded", degraded);
    if (!warnings.empty()) j.field("warnings", warnings);
    j.w().EndObject();
    return j.response(reasons.empty() ? 200 : 503);
}

} // namespace mafio
