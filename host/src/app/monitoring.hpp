// Starts and stops what watches the running pipeline: the HTTP API and the InfluxDB pusher.
// Keeps main.cpp to wiring: start() after the pipeline runs, stop() after it drained, which
// makes the pusher's last push carry the final counts.
#pragma once

#include "config/agent_config.hpp"
#include "discovery/discovery.hpp"
#include "http/agent_view.hpp"
#include "http/http_server.hpp"
#include "metrics/influx_pusher.hpp"
#include "pipeline/pipeline.hpp"
#include "plugin/probe_cache.hpp"
#include "plugin/registry.hpp"

#include <memory>

namespace mafio {

class Monitoring {
public:
    // `pipeline` and `registry` must outlive this; the API swaps components through them.
    Monitoring(const AgentConfig &cfg, Pipeline &pipeline, const Registry &registry);
    ~Monitoring(); // stop()s

    // Offers reload (POST /reload), the revision in /pipeline and the reload counters. Before
    // start(); `reloader` must outlive this.
    void set_reloader(Reloader &reloader);
    // Shows etcd discovery in /pipeline, /health and the metrics. Before start(); `discovery`
    // must outlive this.
    void set_discovery(const Discovery &discovery);

    // Neither failure stops the agent: each logs one line and the pipeline runs on.
    void start();
    // The final InfluxDB push, then the HTTP API closes.
    void stop();

private:
    std::vector<OwnCounter> own_counters() const;

    const AgentConfig &cfg_;
    AgentView view_;
    const Reloader *reloader_ = nullptr;
    const Discovery *discovery_ = nullptr;
    std::unique_ptr<ProbeCache> plugin_files_; // before http_: the server's handlers use it
    std::unique_ptr<HttpServer> http_;
    std::unique_ptr<InfluxPusher> influx_;
};

} // namespace mafio
