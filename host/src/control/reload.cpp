#include "control/reload.hpp"

#include "app/build_pipeline.hpp"
#include "config/load_config.hpp"
#include "config/topology_diff.hpp"
#include "control/swap.hpp"
#include "util/log.hpp"

#include <fmt/format.h>

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
std::string unsupported(const TopologyDiff &d) {
    std::vector<std::string> why;
    if (!d.added.empty()) why.push_back("added: " + list(d.added));
    if (!d.removed.empty()) why.push_back("removed: " + list(d.removed));
    std::vector<ComponentChange> others;
    for (const auto &c : d.changed) {
        bool swappable = true;
        for (const auto &w : c.what)
            swappable = swappable && (w == "plugin" || w == "options");
        if (!swappable) others.push_back(c);
    }
    if (!others.empty()) why.push_back("changed: " + list(others));
    if (why.empty()) return {};
    return "this build applies live only a component's new plugin or options; " + joined(why) +
           " need a restart";
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

ReloadResult Reloader::reload(const std::string &trigger) {
    std::lock_guard one_at_a_time(reload_mutex_);
    log::info("reloading the configuration ({})", trigger);
    ReloadResult r;
    try {
        AgentConfig next = load_config(cl_);
        // Everything -check does: every plugin found, loaded and its options accepted.
        build_pipeline(next, registry_);
        r = apply(next);
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
    if (std::string why = unsupported(d); !why.empty()) return {false, why, {}};
    if (!d.settings.empty())
        log::warn("reload: {} changed; agent-wide settings take effect at the next start",
                  joined(d.settings));
    std::vector<std::string> done;
    for (const auto &c : d.changed) {
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
                if (old.id == c.id) old = s;
    }
    running_ = next; // settings too: they differ until a restart, but the next diff is against it
    {
        std::lock_guard lock(state_mutex_);
        revision_ = config_revision(running_);
        applied_at_ = now_s();
    }
    return {true, done.empty() ? std::string("no component changed") : joined(done), {}};
}

} // namespace mafio
