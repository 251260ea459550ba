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
    out.options_json = inst.options_json();
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
    for (const auto *list : {&pipeline.inputs(), &pipeline.filters(), &pipeline.outputs()})
        for (const auto &inst : *list) {
            snap.instances.push_back(instance_snapshot(*inst));
            snap.instances.back().paused = pipeline.paused(inst->id());
        }
    const size_t inputs = pipeline.inputs().size(), filters = pipeline.filters().size();
    for (size_t i = 0; i < inputs; ++i) {
        InstanceSnapshot &s = snap.instances[i];
        s.unfinished_batches = static_cast<int64_t>(pipeline.unfinished_batches(i));
        s.records_unrouted = pipeline.unrouted_records(i);
        s.checkpoint_store_failing = pipeline.checkpoint_store_failing(i);
        s.tag = pipeline.input_tag(i);
    }
    for (size_t f = 0; f < filters; ++f)
        snap.instances[inputs + f].match = pipeline.filter_match(f);
    for (size_t o = 0; o < pipeline.outputs().size(); ++o)
        snap.instances[inputs + filters + o].match = pipeline.output_match(o);

    const uint64_t channel_bytes = pipeline.settings().channel_bytes;
    const auto &outputs = pipeline.outputs();
    for (size_t i = 0; i < pipeline.output_queue_count() && i < outputs.size(); ++i)
        snap.channels.push_back(ChannelSnapshot{
            "write", outputs[i]->where(), outputs[i]->id(), outputs[i]->plugin().id(),
            pipeline.output_queue_records(i), pipeline.output_queue_capacity(i),
            pipeline.output_queue_bytes(i), channel_bytes});
    snap.process = read_process_snapshot();
    return snap;
}

} // namespace mafio
