// Service discovery and central configuration through etcd (issue 12).
//
// Two threads, neither on the data path:
//   - "etcd-lease": grants a lease (etcd.lease_ttl), puts <prefix>/agents/<group>/<id> under it
//     and keeps it alive every ttl/3, putting the record again whenever it changed. A lease that
//     could not be kept alive for longer than its TTL is given up: a new one is granted and the
//     record put again (re-registration). A clean stop revokes it, which deletes the key at once.
//   - "etcd-watch": reads <prefix>/config/<group> and <prefix>/config/<group>/<id> and watches
//     them from the next revision; a change is applied through the Reloader (the path SIGHUP and
//     POST /reload take), its result put at <prefix>/status/<group>/<id>, and on success cached
//     in the data dir. A broken stream resumes from the last revision seen; a compacted one
//     re-reads the keys.
// While etcd cannot be reached the data flows on with the configuration in force; each thread
// retries with a backoff (0.5 s doubling to 10 s) and logs one line per streak of failures.
#pragma once

#include "config/agent_config.hpp"
#include "control/reload.hpp"
#include "discovery/central_config.hpp"
#include "discovery/etcd_client.hpp"
#include "pipeline/pipeline.hpp"

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace mafio {

class Discovery {
public:
    // `local` is the configuration without any central layer. Throws ConfigError when the
    // password file cannot be read.
    explicit Discovery(const AgentConfig &local);
    ~Discovery(); // stop()s

    // At start, before the pipeline is built: the central configuration to run with, read from
    // etcd (one attempt) or else from the cache in the data dir (said in the log).
    CentralConfig initial_central();
    // The overlay that applies `c` over a loaded configuration (for load_config and Reloader).
    ConfigOverlay overlay(const CentralConfig &c) const;
    // The agent started with `c` applied (`ok`) or refused (`error`, then it runs locally).
    void started_with(const CentralConfig &c, bool ok, const std::string &error);

    // Registers and watches. `reloader` and `pipeline` outlive this (stop() first).
    void start(Reloader &reloader, const Pipeline &pipeline);
    // Revokes the lease (the registration disappears at once) and ends both threads.
    void stop();

    // For /pipeline ("discovery": {...}) and /health (a reason to be "degraded", or "").
    std::string state_json() const;
    std::string trouble() const;
    uint64_t watch_events() const { return watch_events_.load(); }
    uint64_t applies_ok() const { return applies_ok_.load(); }
    uint64_t applies_failed() const { return applies_failed_.load(); }
    uint64_t etcd_failures() const { return etcd_failures_.load(); }

private:
    void lease_loop();
    void watch_loop();
    void read_and_apply();
    void apply(const CentralConfig &next, const std::string &why);
    void put_status(int64_t revision, bool ok, const std::string &message);
    std::string record() const;
    // false when stopping; the lease thread also wakes when its record may have changed
    bool wait(std::chrono::milliseconds d, bool or_record_changed = false);
    void failed(const char *what, const std::exception &e);
    void succeeded();

    const AgentConfig local_;
    const std::string agents_key_, group_key_, agent_key_, status_key_;
    std::unique_ptr<EtcdClient> client_;
    Reloader *reloader_ = nullptr;
    const Pipeline *pipeline_ = nullptr;
    std::string started_at_;

    mutable std::mutex mutex_; // guards everything below
    std::condition_variable wake_;
    bool stopping_ = false;
    CentralConfig applied_;        // the central configuration in force
    CentralConfig attempted_;      // the last one tried (a refused one is not tried again)
    CentralConfig known_;          // the documents as etcd has them now
    std::string source_ = "local"; // where the central configuration in force came from
    std::string pending_status_;   // a status put that failed, put again by the lease thread
    bool record_dirty_ = false;    // the registration record may have changed
    int64_t seen_revision_ = 0;    // the last revision the watch saw
    int64_t lease_ = 0;
    bool connected_ = false, down_logged_ = false;
    uint64_t streak_ = 0;
    std::string last_error_, last_applied_at_, last_apply_message_;
    bool last_apply_ok_ = true;
    std::thread lease_thread_, watch_thread_;

    std::atomic<uint64_t> watch_events_{0}, applies_ok_{0}, applies_failed_{0}, etcd_failures_{0};
};

} // namespace mafio
