#include "app/build_pipeline.hpp"

#include "config/topology.hpp"
#include "plugin/loader.hpp"
#include "util/log.hpp"

#include <fmt/format.h>

namespace mafio {

std::unique_ptr<Instance> create_instance(const PluginSpec &spec, mafio_kind kind, uint32_t index,
                                          const Registry &registry, Pipeline &pipeline) {
    try {
        PluginRef ref = parse_plugin_ref(spec.plugin);
        PluginFile file = registry.find(ref, kind);
        if (ref.tag.empty())
            log::info("{}: \"{}\" resolved to {}:{} (the highest tag present)", spec.where,
                      spec.plugin, file.name, file.tag);
        auto plugin = load_plugin(file, kind);
        auto inst = std::make_unique<Instance>(std::move(plugin), spec.id, spec.where, index);
        inst->create(spec.options_json.empty() ? "{}" : spec.options_json,
                     pipeline.component_dir(spec.id), &pipeline);
        inst->retry_initial =
            std::chrono::milliseconds(static_cast<int64_t>(spec.retry_initial_s * 1000));
        inst->retry_max = std::chrono::milliseconds(static_cast<int64_t>(spec.retry_max_s * 1000));
        if (kind == MAFIO_KIND_INPUT && !spec.schedule.expression.empty())
            inst->schedule_spec = std::make_shared<const InputScheduleSpec>(spec.schedule);
        return inst;
    } catch (const PluginError &e) {
        std::string msg = e.what();
        if (msg.rfind(spec.where, 0) == 0) throw;
        throw PluginError(fmt::format("{}.plugin: {}", spec.where, msg));
    }
}

PipelineSettings pipeline_settings(const AgentConfig &cfg) {
    PipelineSettings s;
    s.read_channel_records = cfg.read_channel_size;
    s.write_channel_records = cfg.write_channel_size;
    s.write_bulk_records = cfg.write_bulk_size;
    s.shutdown_grace = std::chrono::milliseconds(static_cast<int64_t>(cfg.shutdown_grace_s * 1000));
    s.data_dir = cfg.data_dir;
    s.checkpoint_interval =
        std::chrono::milliseconds(static_cast<int64_t>(cfg.checkpoint_interval_s * 1000));
    return s;
}

std::unique_ptr<Pipeline> build_pipeline(const AgentConfig &cfg, const Registry &registry) {
    auto p = std::make_unique<Pipeline>(pipeline_settings(cfg));
    if (cfg.inputs.empty()) throw PluginError("inputs: at least one input is required");
    if (cfg.outputs.empty()) throw PluginError("outputs: at least one output is required");
    uint32_t i = 0;
    for (const auto &spec : cfg.inputs)
        p->add_input(create_instance(spec, MAFIO_KIND_INPUT, i++, registry, *p), input_tag(spec));
    i = 0;
    for (const auto &spec : cfg.filters)
        p->add_filter(create_instance(spec, MAFIO_KIND_FILTER, i++, registry, *p), spec.match);
    i = 0;
    for (const auto &spec : cfg.outputs)
        p->add_output(create_instance(spec, MAFIO_KIND_OUTPUT, i++, registry, *p), spec.match);
    p->connect();
    return p;
}

void start_pipeline(Pipeline &p) {
    p.make_component_dirs();
    std::vector<Instance *> started;
    auto start = [&](const std::vector<std::unique_ptr<Instance>> &list, bool inputs) {
        for (size_t i = 0; i < list.size(); ++i) {
            list[i]->start(inputs ? p.load_checkpoints(i) : std::vector<mafio_checkpoint>{});
            started.push_back(list[i].get());
        }
    };
    try {
        start(p.outputs(), false);
        start(p.filters(), false);
        start(p.inputs(), true);
    } catch (...) {
        for (auto it = started.rbegin(); it != started.rend(); ++it)
            (*it)->stop();
        throw;
    }
}

void stop_pipeline(Pipeline &p) {
    for (auto &i : p.inputs())
        i->stop();
    // After every input thread ended: no process() can run any more, so flush is alone.
    for (auto &f : p.filters())
        f->flush();
    for (auto &f : p.filters())
        f->stop();
    for (auto &o : p.outputs())
        o->stop();
}

} // namespace mafio
