#include "control/swap.hpp"

#include "plugin/loader.hpp"
#include "plugin/plugin_ref.hpp"
#include "util/log.hpp"

namespace mafio {

SwapResult swap_component(Pipeline &pipeline, const Registry &registry, const SwapRequest &req) {
    auto slot = pipeline.slot(req.id);
    if (!slot) return {404, "no component with id \"" + req.id + "\""};
    std::shared_ptr<LoadedPlugin> plugin;
    try {
        const PluginRef ref = parse_plugin_ref(req.plugin);
        PluginFile file = registry.find(ref, slot->kind);
        if (file.path == slot->plugin->file().path &&
            (!req.options_json || *req.options_json == slot->options_json))
            return {200, req.id + ": already runs " + slot->plugin->id() + "; nothing to do"};
        plugin = load_plugin(file, slot->kind);
    } catch (const PluginError &e) {
        return {409, req.id + ": " + e.what() + "; " + slot->plugin->id() + " goes on"};
    }
    auto replacement = std::make_unique<Instance>(plugin, req.id, slot->where, slot->index);
    try {
        // The options the component runs with (or the new ones); the plugin may refuse them.
        replacement->create(req.options_json.value_or(slot->options_json), slot->data_dir,
                            &pipeline);
    } catch (const PluginError &e) {
        return {409, req.id + ": " + plugin->id() + " refused the component's options: " +
                         e.what() + "; " + slot->plugin->id() + " goes on"};
    }
    log::info("{}: swapping {} -> {}", req.id, slot->plugin->id(), plugin->id());
    std::string why =
        slot->kind == MAFIO_KIND_INPUT
            ? pipeline.swap_input(req.id, std::move(replacement), req.reset_position, req.timeout)
            : pipeline.swap_filter_or_output(req.id, std::move(replacement), req.timeout);
    if (!why.empty()) {
        log::warn("swap refused: {}", why);
        return {409, why};
    }
    return {200, req.id + ": now runs " + plugin->id()};
}

} // namespace mafio
