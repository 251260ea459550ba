// mafio: wiring only. Parse the command line, load the configuration, build the pipeline from
// plugins, run it until the inputs end or a signal arrives.
#include "app/build_pipeline.hpp"
#include "app/check_report.hpp"
#include "app/cron_preview.hpp"
#include "app/fd_limit.hpp"
#include "app/monitoring.hpp"
#include "app/plugin_listing.hpp"
#include "app/signals.hpp"
#include "app/version.hpp"
#include "config/load_config.hpp"
#include "config/read_config_file.hpp"
#include "control/reload.hpp"
#include "discovery/discovery.hpp"
#include "options/command_line.hpp"
#include "plugin/plugin_probe.hpp"
#include "plugin/registry.hpp"
#include "schedule/clock_jump.hpp"
#include "util/log.hpp"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <unistd.h>

using namespace mafio;

namespace {

// The bare default endpoint means "off" (as the original agent's default never registered).
void note_discovery_off(const AgentConfig &cfg) {
    if (!cfg.etcd_enabled)
        log::debug("etcd discovery is off (no -etcd-endpoint or etcd.endpoints given)");
}

// -check -central-config FILE: the document as central configuration would apply it.
AgentConfig load_with_central_file(const CommandLine &cl) {
    const std::string &path = *cl.central_config;
    const std::string text = read_config_file(path);
    return load_config(cl, [&](AgentConfig &local) {
        CentralConfig c;
        c.agent = text;
        apply_central(local, c, "", path);
    });
}

// With discovery on: the configuration to start with is the local one under the central one
// (from etcd, or cached). A central configuration that cannot be loaded or built leaves the
// agent on its local configuration, saying why.
std::unique_ptr<Pipeline> build_with_central(const CommandLine &cl, AgentConfig &cfg,
                                             const Registry &registry, Discovery &discovery,
                                             ConfigOverlay &overlay) {
    const CentralConfig central = discovery.initial_central();
    if (central.empty()) {
        discovery.started_with(central, true, "");
        return build_pipeline(cfg, registry);
    }
    try {
        AgentConfig merged = load_config(cl, discovery.overlay(central));
        auto pipeline = build_pipeline(merged, registry);
        cfg = std::move(merged);
        overlay = discovery.overlay(central);
        discovery.started_with(central, true, "");
        return pipeline;
    } catch (const std::exception &e) { // ConfigError, PluginError
        log::error("central configuration of revision {} refused, running with the local "
                   "configuration: {}",
                   central.revision, e.what());
        discovery.started_with(central, false, e.what());
        return build_pipeline(cfg, registry);
    }
}

int run(const CommandLine &cl) {
    if (cl.inspect_plugin) inspect_plugin_child(*cl.inspect_plugin); // does not return
    if (cl.help) {
        std::cout << usage_text();
        return exit_ok;
    }
    if (cl.version) {
        std::cout << (cl.quiet ? version_number() : version_text());
        return exit_ok;
    }
    if (cl.cron) {
        std::cout << cron_preview(*cl.cron, cl.cron_timezone, schedule::wall_now_ns());
        return exit_ok;
    }
    if (cl.cron_timezone) throw UsageError("-cron-timezone: only with -cron");
    AgentConfig cfg = load_config(cl);
    // Plugins that stamp records with the agent's identity read it from the environment
    // (modify:V1's ${agent.id}); set before any thread starts, as setenv requires.
    ::setenv("MAFIO_AGENT_ID", cfg.agent_id.c_str(), 1);
    ::setenv("MAFIO_AGENT_GROUP", cfg.agent_group.c_str(), 1);
    log::Level level;
    if (log::parse_level(cfg.log_level, level)) log::set_level(level);

    Registry registry(plugin_search_dirs(cl.plugins_dir.value_or(""), cfg.plugins_dir));
    if (cl.list_plugins) {
        std::cout << list_plugins(registry);
        return exit_ok;
    }
    if (cl.describe) {
        std::cout << describe_plugin(registry, *cl.describe);
        return exit_ok;
    }

    if (cl.central_config) {
        if (!cl.check)
            throw UsageError("-central-config: checks a document and goes with -check only");
        cfg = load_with_central_file(cl);
    }
    std::unique_ptr<Discovery> discovery;
    ConfigOverlay central_overlay;
    if (cfg.etcd_enabled && !cl.check) discovery = std::make_unique<Discovery>(cfg);
    auto pipeline = discovery ? build_with_central(cl, cfg, registry, *discovery, central_overlay)
                              : build_pipeline(cfg, registry);
    if (cl.check) {
        std::cout << check_report(cfg, *pipeline);
        if (!cl.diff) return exit_ok;
        bool applies = false;
        std::cout << diff_report(cfg, applies);
        return applies ? exit_ok : exit_config;
    }
    warn_unrouted_inputs(*pipeline);
    note_discovery_off(cfg);

    try {
        start_pipeline(*pipeline);
    } catch (const PluginError &e) {
        log::error("{}", e.what());
        return exit_plugin_failed;
    }
    pipeline->run();
    Reloader reloader(cl, cfg, *pipeline, registry);
    reloader.set_overlay(central_overlay);
    // The signal thread is detached and outlives `reloader`: it reaches it through a pointer
    // that is cleared, under the same lock, before `reloader` goes away.
    static std::mutex hup_mutex;
    static Reloader *hup_target = nullptr;
    {
        std::lock_guard lock(hup_mutex);
        hup_target = &reloader;
    }
    watch_stop_signals([&](int) { pipeline->request_stop("signal"); },
                       [] {
                           std::lock_guard lock(hup_mutex);
                           if (hup_target) hup_target->request("SIGHUP");
                       });
    Monitoring monitoring(cfg, *pipeline, registry);
    monitoring.set_reloader(reloader);
    if (discovery) monitoring.set_discovery(*discovery);
    monitoring.start();
    if (discovery) discovery->start(reloader, *pipeline);
    int code = pipeline->wait();
    if (discovery) discovery->stop(); // deregisters at once; no reload after this

    {
        std::lock_guard lock(hup_mutex);
        hup_target = nullptr;
    }
    if (!pipeline->threads_joined()) {
        std::fflush(nullptr);
        _exit(code); // threads are still inside plugins: do not run destructors under them
    }
    stop_pipeline(*pipeline);
    monitoring.stop(); // after the drain, so the last InfluxDB push has the final counts
    return code;
}

} // namespace

int main(int argc, char **argv) {
    block_stop_signals();
    raise_fd_limit(); // before any plugin sizes itself from it
    try {
        return run(parse_command_line(argc, argv));
    } catch (const UsageError &e) {
        log::error("{} (see mafio -h)", e.what());
    } catch (const ConfigError &e) {
        log::error("{}", e.what());
    } catch (const PluginError &e) {
        log::error("{}", e.what());
    } catch (const std::exception &e) {
        log::error("unexpected error: {}", e.what());
        return exit_plugin_failed;
    }
    return exit_config;
}
