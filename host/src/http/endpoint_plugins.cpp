// GET /plugins: the plugins the pipeline loaded (with the instances using them) and every file
// of the plugins directories, as inspected in child processes (never loaded into the agent).
// "available_state" says whether that listing matches the directory now ("current"), is the
// previous one while a changed directory is inspected again ("refreshing"), or is not there yet
// ("pending").
#include "http/endpoints.hpp"
#include "http/json_out.hpp"

#include <map>

namespace mafio {

namespace {

void loaded_plugins(JsonOut &j, const Pipeline &p) {
    const auto no_swap_meanwhile = p.read_lock();
    // One entry per plugin file, in pipeline order, listing its instances.
    std::vector<const LoadedPlugin *> order;
    std::map<std::string, std::vector<std::string>> instances;
    for (const auto *list : {&p.inputs(), &p.filters(), &p.outputs()})
        for (const auto &inst : *list) {
            if (inst->retired) continue;
            auto &where = instances[inst->plugin().file().path];
            if (where.empty()) order.push_back(&inst->plugin());
            where.push_back(inst->where());
        }
    j.w().StartArray();
    for (const LoadedPlugin *lp : order) {
        const auto &d = lp->desc();
        j.w().StartObject();
        j.field("name", lp->file().name);
        j.field("tag", lp->file().tag);
        j.field("kind", kind_name(lp->kind()));
        j.field("version", d.version ? d.version : "");
        j.field("abi", std::to_string(d.abi_major) + "." + std::to_string(d.abi_minor));
        j.field("path", lp->file().path);
        j.key("instances");
        j.w().StartArray();
        for (const auto &w : instances[lp->file().path])
            j.str(w);
        j.w().EndArray();
        j.w().EndObject();
    }
    j.w().EndArray();
}

} // namespace

HttpResponse plugins_endpoint(const AgentView &view) {
    JsonOut j;
    j.w().StartObject();
    j.key("loaded");
    loaded_plugins(j, view.pipeline);
    PluginDirListing listing = view.available ? view.available() : PluginDirListing{};
    j.key("available");
    j.w().StartArray();
    for (const auto &f : listing.files) {
        j.w().StartObject();
        j.field("name", f.name);
        j.field("tag", f.tag);
        if (f.refused.empty()) {
            j.field("kind", f.kind);
            j.field("version", f.version);
            j.field("abi", f.abi);
            j.field("description", f.description);
        } else {
            j.field("refused", f.refused);
        }
        j.field("path", f.path);
        j.w().EndObject();
    }
    j.w().EndArray();
    j.field("available_state", listing.state.empty() ? "pending" : listing.state);
    j.key("search_dirs");
    j.w().StartArray();
    for (const auto &d : view.plugin_dirs)
        j.str(d);
    j.w().EndArray();
    j.w().EndObject();
    return j.response();
}

} // namespace mafio
