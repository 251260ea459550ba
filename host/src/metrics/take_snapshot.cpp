#include "metrics/take_snapshot.hpp"

#include "metrics/process_stats.hpp"

namespace mafio {

namespace {

InstanceSnapshot instance_snapshot(const Instance &inst) {
    const InstanceStats &s = inst.stats;
    InstanceSnapshot out;
    out.kind = kind_name(inst.plugin().kind());
    out.plugin = inst.plugin().id();
    out.instance = inst.where();
    out.id = inst.id();
    out.options_json = inst.shown_options_json(); // secrets never leave the graph
    out.records_in = s.records_in.load(std::memory_order_relaxed);
    out.records_out = s.records_out.load(std::memory_order_relaxed);
    out.records_dropped = s.records_dropped.load(std::memory_order_relaxed);
    out.records_failed = s.records_failed.load(std::memory_order_relaxed);
    out.bytes_in = s.bytes_in.load(std::memory_order_relaxed);
    out.batches = s.batches.load(std::memory_order_relaxed);
    out.errors = s.errors.load(std::memory_order_relaxed);
    out.retries = s.retries.load(std::memory_order_relaxed);
    out.thread_id = s.thread_id.load(std::memory_order_relaxed);
    out.failing_since_ns = s.failing_since_ns.load(std::memory_order_relaxed);
    out.stopped_on_error = s.stopped_on_error.load(std::memory_order_relaxed);
    out.plugin_metrics = inst.metrics.snapshot();
    return out;
}

} // namespace

AgentSnapshot take_snapshot(const Pipeline &pipeline, const std::string &agent_id,
                            const std::string &agent_group) {
    AgentSnapshot snap;
    snap.agent_id = agent_id;
    snap.agent_group = agent_group;
    snap.stopping = pipeline.stopping();
    const auto no_swap_meanwhile = pipeline.read_lock();
    // Components a reload retired keep their slots but are no longer reported.
    const auto &inputs = pipeline.inputs(), &filters = pipeline.filters(),
               &outputs = pipeline.outputs();
    for (size_t i = 0; i < inputs.size(); ++i) {
        if (inputs[i]->retired) continue;
        InstanceSnapshot s = instance_snapshot(*inputs[i]);
        s.paused = pipeline.paused(inputs[i]->id());
        s.unfinished_batches = static_cast<int64_t>(pipeline.unfinished_batches(i));
        s.records_unrouted = pipeline.unrouted_records(i);
        s.checkpoint_store_failing = pipeline.checkpoint_store_failing(i);
        s.tag = pipeline.input_tag(i);
        s.schedule = pipeline.schedule_snapshot(i);
        snap.instances.push_back(std::move(s));
    }
    for (size_t f = 0; f < filters.size(); ++f) {
        if (filters[f]->retired) continue;
        InstanceSnapshot s = instance_snapshot(*filters[f]);
        s.paused = pipeline.paused(filters[f]->id());
        s.match = pipeline.filter_match(f);
        snap.instances.push_back(std::move(s));
    }
    const uint64_t channel_bytes = pipeline.settings().channel_bytes;
    for (size_t o = 0; o < outputs.size(); ++o) {
        if (outputs[o]->retired) continue;
        InstanceSnapshot s = instance_snapshot(*outputs[o]);
        s.paused = pipeline.paused(outputs[o]->id());
        s.match = pipeline.output_match(o);
        snap.instances.push_back(std::move(s));
        snap.channels.push_back(ChannelSnapshot{
            "write", outputs[o]->where(), outputs[o]->id(), outputs[o]->plugin().id(),
            pipeline.output_queue_records(o), pipeline.output_queue_capacity(o),
            pipeline.output_queue_bytes(o), channel_bytes});
    }
    snap.process = read_process_snapshot();
    return snap;
}

} // namespace mafio
