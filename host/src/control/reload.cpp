#include "control/reload.hpp"

#include "app/build_pipeline.hpp"
#include "config/load_config.hpp"
#include "config/running_config.hpp"
#include "config/topology.hpp"
#include "config/topology_diff.hpp"
#include "control/swap.hpp"
#include "util/log.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

namespace mafio {

namespace {

double now_s() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string joined(const std::vector<std::string> &items) {
    std::string out;
    for (const auto &i : items)
        out += (out.empty() ? "" : ", ") + i;
    return out;
}

std::string list(const std::vector<ComponentChange> &changes) {
    std::string out;
    for (const auto &c : changes)
        out +=
            (out.empty() ? "" : ", ") + c.id + (c.what.empty() ? "" : " (" + joined(c.what) + ")");
    return out;
}

// What this build cannot apply live, or "".
} // namespace

// What this build cannot apply live, or "": an output's retry pace (held by the running
// output thread between writes).
std::string reload_refusal(const TopologyDiff &d) {
    std::vector<ComponentChange> others;
    for (const auto &c : d.changed)
        if (std::find(c.what.begin(), c.what.end(), "retry") != c.what.end()) others.push_back(c);
    if (others.empty()) return {};
    return "an output's retry_initial/retry_max cannot change live yet; changed: " + list(others) +
           " need a restart";
}

namespace {

bool needs_topology(const TopologyDiff &d) {
    if (!d.added.empty() || !d.removed.empty()) return true;
    for (const auto &c : d.changed)
        for (const auto &w : c.what)
            if (w == "tag" || w == "match") return true;
    return false;
}

bool swapped(const ComponentChange &c) {
    return std::any_of(c.what.begin(), c.what.end(),
                       [](const std::string &w) { return w == "plugin" || w == "options"; });
}

const PluginSpec &spec(const AgentConfig &cfg, const std::string &id) {
    for (const auto *l : {&cfg.inputs, &cfg.filters, &cfg.outputs})
        for (const auto &s : *l)
            if (s.id == id) return s;
    throw std::logic_error("no spec for " + id);
}

} // namespace

Reloader::Reloader(CommandLine cl, AgentConfig running, Pipeline &pipeline,
                   const Registry &registry)
    : cl_(std::move(cl)), running_(std::move(running)), pipeline_(pipeline), registry_(registry),
      revision_(config_revision(running_)), applied_at_(now_s()) {
    if (std::string e = store_running_config(running_); !e.empty())
        log::warn("{} (mafio -check -diff will not know this configuration)", e);
    thread_ = std::thread([this] { serve(); });
}

Reloader::~Reloader() {
    {
        std::lock_guard lock(state_mutex_);
        quit_ = true;
    }
    wanted_.notify_all();
    thread_.join();
}

std::string Reloader::last_error() const {
    std::lock_guard lock(state_mutex_);
    return last_error_;
}

std::pair<std::string, double> Reloader::revision() const {
    std::lock_guard lock(state_mutex_);
    return {revision_, applied_at_};
}

void Reloader::request(const std::string &trigger) {
    {
        std::lock_guard lock(state_mutex_);
        pending_ = trigger;
    }
    wanted_.notify_all();
}

void Reloader::serve() {
    pthread_setname_np(pthread_self(), "reload");
    std::unique_lock lock(state_mutex_);
    for (;;) {
        wanted_.wait(lock, [&] { return quit_ || !pending_.empty(); });
        if (quit_) return;
        std::string trigger = std::exchange(pending_, {});
        lock.unlock();
        reload(trigger);
        lock.lock();
    }
}

ReloadResult Reloader::reload(const std::string &trigger, const ConfigOverlay *next_overlay) {
    std::lock_guard one_at_a_time(reload_mutex_);
    log::info("reloading the configuration ({})", trigger);
    ReloadResult r;
    try {
        AgentConfig next = load_config(cl_, next_overlay ? *next_overlay : overlay_);
        // Everything -check does: every plugin found, loaded and its options accepted.
        build_pipeline(next, registry_);
        r = apply(next);
        if (r.ok && next_overlay) overlay_ = *next_overlay;
    } catch (const std::exception &e) { // ConfigError, PluginError
        r.message = e.what();
    }
    r.revision = revision().first;
    {
        std::lock_guard lock(state_mutex_);
        last_error_ = r.ok ? std::string() : r.message;
    }
    if (r.ok) {
        ++ok_;
        log::info("reload applied: {} (revision {})", r.message, r.revision);
    } else {
        ++failed_;
        log::error("reload refused, nothing changed: {}", r.message);
    }
    return r;
}

ReloadResult Reloader::apply(const AgentConfig &next) {
    TopologyDiff d = diff_topology(running_, next);
    if (std::string why = reload_refusal(d); !why.empty()) return {false, why, {}};
    if (!d.settings.empty())
        log::warn("reload: {} changed; agent-wide settings take effect at the next start",
                  joined(d.settings));
    std::vector<std::string> done;
    for (const auto &c : d.changed) {
        if (!swapped(c)) continue;
        const PluginSpec &s = spec(next, c.id);
        SwapRequest req;
        req.id = c.id;
        req.plugin = s.plugin;
        req.options_json = s.options_json.empty() ? "{}" : s.options_json;
        SwapResult res = swap_component(pipeline_, registry_, req);
        if (res.status != 200) {
            std::string msg = res.message;
            if (!done.empty()) msg += " (already applied: " + joined(done) + ")";
            return {false, msg, {}};
        }
        done.push_back(c.id + " now " + s.plugin);
        // The running config follows what is applied, component by component.
        for (auto *l : {&running_.inputs, &running_.filters, &running_.outputs})
            for (auto &old : *l)
                if (old.id == c.id) {
                    old.plugin = s.plugin;
                    old.options_json = s.options_json;
                }
    }
    if (needs_topology(d)) {
        Pipeline::TopologyPlan plan;
        for (const auto &c : d.removed)
            plan.remove.push_back(c.id);
        try {
            for (const auto &c : d.added) {
                const PluginSpec &s = spec(next, c.id);
                const mafio_kind kind = c.kind == "input"    ? MAFIO_KIND_INPUT
                                        : c.kind == "filter" ? MAFIO_KIND_FILTER
                                                             : MAFIO_KIND_OUTPUT;
                auto &list = kind == MAFIO_KIND_INPUT    ? plan.add_inputs
                             : kind == MAFIO_KIND_FILTER ? plan.add_filters
                                                         : plan.add_outputs;
                const uint32_t index =
                    pipeline_.next_index(kind) + static_cast<uint32_t>(list.size());
                auto inst = create_instance(s, kind, index, registry_, pipeline_);
                if (kind == MAFIO_KIND_OUTPUT) {
                    inst->retry_initial =
                        std::chrono::milliseconds(static_cast<int64_t>(s.retry_initial_s * 1000));
                    inst->retry_max =
                        std::chrono::milliseconds(static_cast<int64_t>(s.retry_max_s * 1000));
                }
                list.push_back(std::move(inst));
            }
        } catch (const std::exception &e) {
            std::string msg = e.what();
            if (!done.empty()) msg += " (already applied: " + joined(done) + ")";
            return {false, msg, {}};
        }
        for (const auto &s : next.inputs)
            plan.tags.emplace_back(s.id, input_tag(s));
        for (const auto &s : next.filters) {
            plan.matches.emplace_back(s.id, s.match);
            plan.filter_order.push_back(s.id);
        }
        for (const auto &s : next.outputs)
            plan.matches.emplace_back(s.id, s.match);
        if (std::string why = pipeline_.apply_topology(std::move(plan), std::chrono::seconds(30));
            !why.empty()) {
            if (!done.empty()) why += " (already applied: " + joined(done) + ")";
            return {false, why, {}};
        }
        if (!d.added.empty()) done.push_back("added " + list(d.added));
        if (!d.removed.empty()) done.push_back("removed " + list(d.removed));
        std::vector<ComponentChange> routed;
        for (const auto &c : d.changed)
            if (!swapped(c)) routed.push_back(c);
        if (!routed.empty()) done.push_back("routes of " + list(routed));
    }
    running_ = next; // settings too: they differ until a restart, but the next diff is against it
    if (std::string e = store_running_config(running_); !e.empty())
        log::warn("{} (mafio -check -diff compares with an older configuration)", e);
    {
        std::lock_guard lock(state_mutex_);
        revision_ = config_revision(running_);
        applied_at_ = now_s();
    }
    return {true, done.empty() ? std::string("no component changed") : joined(done), {}};
}

} // namespace mafio
