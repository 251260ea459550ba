// Reload (SIGHUP, POST /reload): read the configuration again as at start (the -config file,
// -f and the same flags), validate it completely as -check does, and apply the difference by
// component id: components whose plugin or options changed are swapped live
// (control/swap.hpp); components added or removed and changed tags or matches change the graph
// (Pipeline::apply_topology). An output's changed retry pace is refused as a whole, with a
// message naming it, and nothing changes; agent-wide settings that differ take effect at the next
// start (said in the log).
#pragma once

#include "config/agent_config.hpp"
#include "config/load_config.hpp"
#include "config/topology_diff.hpp"
#include "options/command_line.hpp"
#include "pipeline/pipeline.hpp"
#include "plugin/registry.hpp"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace mafio {

// Why a reload with this difference would be refused as a whole, or "" when it would apply.
std::string reload_refusal(const TopologyDiff &diff);

struct ReloadResult {
    bool ok = false;
    std::string message;  // one line: what was applied, or why nothing was
    std::string revision; // the configuration in force afterwards
};

class Reloader {
public:
    // `cl` is the command line the agent started with; `running` the config it runs.
    Reloader(CommandLine cl, AgentConfig running, Pipeline &pipeline, const Registry &registry);
    ~Reloader(); // ends the thread that serves request()

    // Reloads now and says how it went. One at a time. Any thread but a pipeline thread.
    // Every reload reads the configuration with the overlay in force (central configuration,
    // discovery/); `next_overlay` replaces it, but only if the reload applies.
    ReloadResult reload(const std::string &trigger, const ConfigOverlay *next_overlay = nullptr);
    // The overlay the agent started with. Before any reload.
    void set_overlay(ConfigOverlay overlay) { overlay_ = std::move(overlay); }
    // Asks for a reload on the reloader's own thread (from the signal thread: returns at once).
    void request(const std::string &trigger);

    uint64_t succeeded() const { return ok_.load(); }
    uint64_t failed() const { return failed_.load(); }
    // The revision in force and when it was applied (Unix time). Any thread.
    std::pair<std::string, double> revision() const;
    // Why the last reload was refused; "" when it succeeded or none was tried. Any thread.
    std::string last_error() const;

private:
    ReloadResult apply(const AgentConfig &next);
    void serve();

    const CommandLine cl_;
    AgentConfig running_;
    Pipeline &pipeline_;
    const Registry &registry_;
    std::mutex reload_mutex_; // one reload at a time; guards overlay_
    ConfigOverlay overlay_;
    std::atomic<uint64_t> ok_{0}, failed_{0};

    mutable std::mutex state_mutex_; // guards the members below
    std::string revision_;
    double applied_at_ = 0;
    std::string last_error_;
    std::condition_variable wanted_;
    std::string pending_; // the trigger of a requested reload, "" when none
    bool quit_ = false;
    std::thread thread_;
};

} // namespace mafio
