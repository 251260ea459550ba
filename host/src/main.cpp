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
#include "control/reload.hpp"
#include "options/command_line.hpp"
#include "plugin/plugin_probe.hpp"
#include "plugin/registry.hpp"
#include "schedule/clock_jump.hpp"
#include "util/log.hpp"

#include <cstdio>
#include <iostream>
#include <mutex>
#include <unistd.h>

using namespace mafio;

namespace {

// Features whose flags are accepted and validated now but are built by later work. An operator
// who set one hears about it; the default endpoint alone is only mentioned at debug level.
void note_inactive_features(const AgentConfig &cfg) {
    if (cfg.etcd_endpoint != AgentConfig{}.etcd_endpoint)
        log::info("etcd registration ({}) is not active in this build", cfg.etcd_endpoint);
    else
        log::debug("etcd registration ({}) is not active in this build", cfg.etcd_endpoint);
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

    auto pipeline = build_pipeline(cfg, registry);
    if (cl.check) {
        std::cout << check_report(cfg, *pipeline);
        if (!cl.diff) return exit_ok;
        bool applies = false;
        std::cout << diff_report(cfg, applies);
        return applies ? exit_ok : exit_config;
    }
    warn_unrouted_inputs(*pipeline);
    note_inactive_features(cfg);

    try {
        start_pipeline(*pipeline);
    } catch (const PluginError &e) {
        log::error("{}", e.what());
        return exit_plugin_failed;
    }
    pipeline->run();
    Reloader reloader(cl, cfg, *pipeline, registry);
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
    monitoring.start();
    int code = pipeline->wait();
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
