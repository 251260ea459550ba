#include "http/agent_view.hpp"

#include "metrics/take_snapshot.hpp"
#include "plugin/loader.hpp"

namespace mafio {

std::vector<PluginFileInfo> scan_plugin_files(const Registry &registry) {
    std::vector<PluginFileInfo> out;
    for (const auto &f : registry.scan()) {
        PluginFileInfo info{f.name, f.tag, f.path, "", "", "", "", ""};
        try {
            auto p = load_plugin(f, 0);
            const auto &d = p->desc();
            info.kind = kind_name(p->kind());
            info.version = d.version ? d.version : "";
            info.description = d.description ? d.description : "";
            info.abi = std::to_string(d.abi_major) + "." + std::to_string(d.abi_minor);
        } catch (const std::exception &e) {
            info.refused = e.what();
        }
        out.push_back(std::move(info));
    }
    return out;
}

AgentSnapshot AgentView::snapshot() const {
    AgentSnapshot snap = take_snapshot(pipeline, cfg.agent_id, cfg.agent_group);
    if (own_counters) snap.own = own_counters();
    return snap;
}

} // namespace mafio
