#include "app/monitoring.hpp"

#include "metrics/snapshot_families.hpp"

namespace mafio {

namespace {
// The longest a /plugins request waits for an inspection under way (a changed directory): the
// children are quick, and a hung one must not hold an HTTP worker for its whole bound.
constexpr std::chrono::milliseconds kPluginListingWait{2000};
} // namespace

Monitoring::Monitoring(const AgentConfig &cfg, Pipeline &pipeline, const Registry &registry)
    : cfg_(cfg), view_{cfg,     pipeline, {},      registry.dirs(), nullptr, nullptr,
                       nullptr, nullptr,  nullptr, nullptr,         nullptr} {
    view_.own_counters = [this] { return own_counters(); };
    view_.swap = [&pipeline, &registry](const SwapRequest &r) {
        return swap_component(pipeline, registry, r);
    };
    if (!cfg.http_address.empty() && cfg.http_address != "off") {
        // Never dlopen here: the files are inspected in child processes, in the background.
        plugin_files_ = std::make_unique<ProbeCache>(registry, ProbeLimits{}, kPluginListingWait);
        view_.available = [this] { return plugin_files_->get(); };
        http_ = std::make_unique<HttpServer>(view_);
    }
    if (!cfg.influxdb_addr.empty()) {
        InfluxSettings s;
        s.addr = cfg.influxdb_addr;
        s.database = cfg.agent_group;
        s.tags = {{"agent", cfg.agent_id}, {"group", cfg.agent_group}};
        s.interval =
            std::chrono::milliseconds(static_cast<int64_t>(cfg.influxdb_interval_s * 1000));
        influx_ = std::make_unique<InfluxPusher>(
            s, [this] { return snapshot_families(view_.snapshot()); });
    }
}

Monitoring::~Monitoring() {
    stop();
}

void Monitoring::start() {
    if (http_ && !http_->start(cfg_.http_address)) http_.reset();
    if (http_) plugin_files_->start();
    if (influx_ && !influx_->start()) influx_.reset();
}

void Monitoring::stop() {
    if (influx_) influx_->stop();
    if (http_) http_->stop();
}

void Monitoring::set_reloader(Reloader &reloader) {
    reloader_ = &reloader;
    view_.reload = [&reloader] { return reloader.reload("POST /reload"); };
    view_.revision = [&reloader] { return reloader.revision(); };
    view_.last_reload_error = [&reloader] { return reloader.last_error(); };
}

void Monitoring::set_discovery(const Discovery &discovery) {
    discovery_ = &discovery;
    view_.discovery_state = [&discovery] { return discovery.state_json(); };
    view_.discovery_trouble = [&discovery] { return discovery.trouble(); };
}

std::vector<OwnCounter> Monitoring::own_counters() const {
    std::vector<OwnCounter> out;
    if (http_) out = http_->counters();
    if (reloader_) {
        const char *help = "Configuration reloads (SIGHUP, POST /reload), by result.";
        out.push_back(
            {"mafio_config_reloads_total", help, reloader_->succeeded(), {{"result", "ok"}}});
        out.push_back(
            {"mafio_config_reloads_total", help, reloader_->failed(), {{"result", "failed"}}});
    }
    if (discovery_) {
        out.push_back({"mafio_etcd_watch_events_total",
                       "Changes of this agent's central configuration keys seen by the etcd watch.",
                       discovery_->watch_events()});
        const char *help = "Central configurations from etcd applied through reload, by result.";
        out.push_back({"mafio_etcd_config_applies_total",
                       help,
                       discovery_->applies_ok(),
                       {{"result", "ok"}}});
        out.push_back({"mafio_etcd_config_applies_total",
                       help,
                       discovery_->applies_failed(),
                       {{"result", "failed"}}});
        out.push_back({"mafio_etcd_request_failures_total",
                       "etcd requests (registration, keepalive, watch) that no endpoint answered.",
                       discovery_->etcd_failures()});
    }
    if (influx_) {
        out.push_back({"mafio_influxdb_points_sent_total", "Points InfluxDB accepted.",
                       influx_->points_sent()});
        out.push_back(
            {"mafio_influxdb_points_dropped_total",
             "Points dropped: the unsent-points buffer was full, or InfluxDB refused them.",
             influx_->points_dropped()});
        out.push_back({"mafio_influxdb_push_failures_total", "Failed attempts to push to InfluxDB.",
                       influx_->failures()});
    }
    return out;
}

} // namespace mafio
