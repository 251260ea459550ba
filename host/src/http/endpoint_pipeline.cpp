// GET /pipeline: the component graph: every component with its id, where it is configured, its
// tag (inputs) or match globs (filters, outputs), its configured options and counters, and each
// output's queue with its depth and capacity.
#include "http/endpoints.hpp"
#include "http/json_out.hpp"

namespace mafio {

namespace {

void channel(JsonOut &j, const ChannelSnapshot &c) {
    j.w().StartObject();
    j.field("records", c.records);
    j.field("capacity_records", c.capacity_records);
    j.field("bytes", c.bytes);
    j.field("capacity_bytes", c.capacity_bytes);
    j.w().EndObject();
}

// A scheduled input's runs: its schedule, the last run and the next fire time.
void schedule(JsonOut &j, const ScheduleSnapshot &s) {
    j.key("schedule");
    j.w().StartObject();
    j.field("expression", s.expression);
    j.field("timezone", s.timezone);
    j.field("overlap", s.overlap);
    j.field("catch_up", s.catch_up);
    j.field("running", s.running);
    j.field("runs", s.runs);
    j.field("failed_runs", s.failed_runs);
    j.field("skipped_ticks", s.skipped_ticks);
    j.field("missed_ticks", s.missed_ticks);
    j.field("last_run_start", s.last_run_start);
    j.field("last_run_end", s.last_run_end);
    j.field("last_result", s.last_result);
    j.field("next_fire", s.next_fire);
    j.w().EndObject();
}

void stage(JsonOut &j, const char *kind, const AgentSnapshot &snap) {
    j.key(kind);
    j.w().StartArray();
    for (const auto &i : snap.instances) {
        if (i.kind + "s" != kind) continue;
        j.w().StartObject();
        j.field("id", i.id);
        j.field("instance", i.instance);
        j.field("plugin", i.plugin);
        if (i.kind == "input") {
            j.field("tag", i.tag);
            if (i.schedule) schedule(j, *i.schedule);
        } else {
            j.field("match", i.match.empty() ? std::vector<std::string>{"*"} : i.match);
        }
        j.field("paused", i.paused);
        j.raw("options", i.options_json.empty() ? "{}" : i.options_json); // already redacted
        j.field("records_in", i.records_in);
        if (i.kind != "input") j.field("records_out", i.records_out);
        if (i.kind == "filter") j.field("records_dropped", i.records_dropped);
        if (i.kind == "output") j.field("records_failed", i.records_failed);
        if (i.kind == "input") j.field("bytes_in", i.bytes_in);
        if (i.kind == "input") j.field("records_unrouted", i.records_unrouted);
        j.field("batches", i.batches);
        j.field("errors", i.errors);
        if (i.kind == "output") j.field("retries", i.retries);
        j.field("failing", i.failing_since_ns > 0 || i.stopped_on_error);
        if (i.kind == "output")
            for (const auto &c : snap.channels)
                if (c.name == "write" && c.instance == i.instance) {
                    j.key("queue");
                    channel(j, c);
                }
        j.w().EndObject();
    }
    j.w().EndArray();
}

} // namespace

HttpResponse pipeline_endpoint(const AgentView &view) {
    AgentSnapshot snap = view.snapshot();
    JsonOut j;
    j.w().StartObject();
    j.field("state", snap.stopping ? "stopping" : "running");
    if (view.revision) {
        auto [revision, applied_at] = view.revision();
        j.field("config_revision", revision);
        j.field("config_applied_at", rfc3339(applied_at));
    }
    if (view.discovery_state) j.raw("discovery", view.discovery_state());
    stage(j, "inputs", snap);
    stage(j, "filters", snap);
    stage(j, "outputs", snap);
    j.key("settings");
    j.w().StartObject();
    j.field("read_channel_records", static_cast<uint64_t>(view.cfg.read_channel_size));
    j.field("write_channel_records", static_cast<uint64_t>(view.cfg.write_channel_size));
    j.field("write_bulk_records", static_cast<uint64_t>(view.cfg.write_bulk_size));
    j.field("shutdown_grace_seconds", view.cfg.shutdown_grace_s);
    j.w().EndObject();
    j.w().EndObject();
    return j.response();
}

} // namespace mafio
