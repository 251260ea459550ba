#include "http/thread_roles.hpp"

#include <unistd.h>

namespace mafio {

namespace {

std::string role_by_name(const std::string &name, int tid) {
    if (tid == static_cast<int>(getpid())) return "main";
    auto starts = [&](const char *p) { return name.rfind(p, 0) == 0; };
    if (starts("http")) return "http";
    if (starts("influx")) return "influx";
    if (starts("signals")) return "signals";
    if (starts("checkpoint")) return "checkpoint";
    if (starts("in:")) return "input";
    if (starts("out:")) return "output";
    return "other"; // e.g. a thread a plugin started itself
}

const ChannelSnapshot *channel(const AgentSnapshot &snap, const std::string &component) {
    for (const auto &c : snap.channels)
        if (c.component == component) return &c;
    return nullptr;
}

} // namespace

std::vector<ThreadRole> thread_roles(const std::vector<ThreadSample> &threads,
                                     const AgentSnapshot &snap) {
    std::vector<ThreadRole> out;
    for (const auto &t : threads) {
        ThreadRole r;
        r.tid = t.tid;
        r.name = t.name;
        r.state = t.state;
        r.cpu_seconds = t.cpu_seconds;
        r.role = role_by_name(t.name, t.tid);
        // Filters run on their inputs' threads and have none of their own.
        for (const auto &i : snap.instances) {
            if (i.thread_id != t.tid || i.kind == "filter") continue;
            r.role = i.kind;
            r.component = i.id;
            r.plugin = i.plugin;
            r.instance = i.instance;
            r.records = i.kind == "input" ? i.records_in : i.records_out;
            r.has_records = true;
            if (const ChannelSnapshot *c = i.kind == "output" ? channel(snap, i.id) : nullptr) {
                r.queue = c->name + ":" + c->component;
                r.queue_records = c->records;
            }
        }
        out.push_back(std::move(r));
    }
    return out;
}

} // namespace mafio
