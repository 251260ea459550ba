#include "config/topology_diff.hpp"

#include <fmt/format.h>

#include <map>

namespace mafio {

namespace {

struct Entry {
    const PluginSpec *spec;
    const char *kind;
};

std::map<std::string, Entry> by_id(const AgentConfig &cfg) {
    std::map<std::string, Entry> out;
    for (const auto &s : cfg.inputs)
        out[s.id] = {&s, "input"};
    for (const auto &s : cfg.filters)
        out[s.id] = {&s, "filter"};
    for (const auto &s : cfg.outputs)
        out[s.id] = {&s, "output"};
    return out;
}

std::vector<std::string> differences(const PluginSpec &a, const PluginSpec &b) {
    std::vector<std::string> what;
    if (a.plugin != b.plugin) what.emplace_back("plugin");
    if (a.options_json != b.options_json) what.emplace_back("options");
    if (a.tag != b.tag) what.emplace_back("tag");
    if (a.match != b.match) what.emplace_back("match");
    if (a.retry_initial_s != b.retry_initial_s || a.retry_max_s != b.retry_max_s)
        what.emplace_back("retry");
    return what;
}

void setting(std::vector<std::string> &out, const char *name, const auto &a, const auto &b) {
    if (a != b) out.emplace_back(name);
}

uint64_t fnv1a(uint64_t h, const std::string &s) {
    for (unsigned char c : s)
        h = (h ^ c) * 1099511628211ull;
    return (h ^ 0xFF) * 1099511628211ull; // a separator, so "ab"+"c" differs from "a"+"bc"
}

} // namespace

TopologyDiff diff_topology(const AgentConfig &running, const AgentConfig &next) {
    TopologyDiff d;
    const auto old_ids = by_id(running), new_ids = by_id(next);
    for (const auto &[id, e] : new_ids) {
        auto it = old_ids.find(id);
        if (it == old_ids.end()) {
            d.added.push_back({id, e.kind, e.spec->where, {}});
        } else if (std::string(it->second.kind) != e.kind || // same id, another kind
                   it->second.spec->schedule != e.spec->schedule) {
            // A changed schedule (README "Scheduling") replaces the component: its runs, timers
            // and counters start afresh with the new one; its checkpoints carry over by id.
            d.removed.push_back({id, it->second.kind, it->second.spec->where, {}});
            d.added.push_back({id, e.kind, e.spec->where, {}});
        } else if (auto what = differences(*it->second.spec, *e.spec); !what.empty()) {
            d.changed.push_back({id, e.kind, e.spec->where, std::move(what)});
        }
    }
    for (const auto &[id, e] : old_ids)
        if (!new_ids.count(id)) d.removed.push_back({id, e.kind, e.spec->where, {}});
    setting(d.settings, "agent.id", running.agent_id, next.agent_id);
    setting(d.settings, "agent.group", running.agent_group, next.agent_group);
    setting(d.settings, "plugins_dir", running.plugins_dir, next.plugins_dir);
    setting(d.settings, "data_dir", running.data_dir, next.data_dir);
    setting(d.settings, "log_level", running.log_level, next.log_level);
    setting(d.settings, "http.address", running.http_address, next.http_address);
    setting(d.settings, "influxdb", running.influxdb_addr, next.influxdb_addr);
    setting(d.settings, "channels.read_size", running.read_channel_size, next.read_channel_size);
    setting(d.settings, "channels.write_size", running.write_channel_size, next.write_channel_size);
    setting(d.settings, "channels.write_bulk_size", running.write_bulk_size, next.write_bulk_size);
    setting(d.settings, "shutdown_grace", running.shutdown_grace_s, next.shutdown_grace_s);
    setting(d.settings, "checkpoint_interval", running.checkpoint_interval_s,
            next.checkpoint_interval_s);
    return d;
}

std::string config_revision(const AgentConfig &cfg) {
    uint64_t h = 14695981039346656037ull;
    for (const auto *list : {&cfg.inputs, &cfg.filters, &cfg.outputs}) {
        h = fnv1a(h, "|");
        for (const auto &s : *list) {
            h = fnv1a(fnv1a(fnv1a(fnv1a(h, s.id), s.plugin), s.options_json), s.tag);
            for (const auto &m : s.match)
                h = fnv1a(h, m);
            h = fnv1a(h, fmt::format("{}/{}", s.retry_initial_s, s.retry_max_s));
            h = fnv1a(h, fmt::format("{}|{}|{}|{}", s.schedule.expression, s.schedule.timezone,
                                     s.schedule.overlap, s.schedule.catch_up));
        }
    }
    h = fnv1a(h,
              fmt::format("{}|{}|{}|{}|{}|{}|{}|{}|{}", cfg.agent_id, cfg.agent_group, cfg.data_dir,
                          cfg.http_address, cfg.read_channel_size, cfg.write_channel_size,
                          cfg.write_bulk_size, cfg.shutdown_grace_s, cfg.checkpoint_interval_s));
    return fmt::format("{:016x}", h);
}

} // namespace mafio
