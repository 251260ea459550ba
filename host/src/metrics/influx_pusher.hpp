// Pushes the agent's metrics to InfluxDB on its own thread ("influx"): every interval it
// collects the metric families, renders them as line protocol into a bounded buffer and sends
// what is buffered. Failures back off exponentially and log one line per failure streak (and
// one when pushing works again). Nothing here is ever waited on by the pipeline.
#pragma once

#include "metrics/influx_client.hpp"
#include "metrics/metric_family.hpp"
#include "metrics/point_buffer.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace mafio {

struct InfluxSettings {
    std::string addr;     // host:port or http://host:port[/path]
    std::string database; // the agent group
    MetricLabels tags;    // on every point: agent, group
    std::chrono::milliseconds interval{10000};
    std::chrono::milliseconds timeout{5000}; // connect, send and receive, each
    std::chrono::milliseconds backoff_max{300000};
    size_t max_buffered_lines = 100000; // about 10 MB, several hours of points for a small agent
    size_t max_lines_per_write = 5000;
};

class InfluxPusher {
public:
    using Collect = std::function<std::vector<MetricFamily>()>;

    InfluxPusher(InfluxSettings settings, Collect collect);
    ~InfluxPusher(); // stop()s
    InfluxPusher(const InfluxPusher &) = delete;
    InfluxPusher &operator=(const InfluxPusher &) = delete;

    // Starts the thread. Returns false (after logging why) when the address is unusable.
    bool start();
    // Collects once more, makes one last attempt to send everything buffered, joins.
    void stop();

    uint64_t points_sent() const { return sent_.load(std::memory_order_relaxed); }
    uint64_t points_dropped() const { return dropped_.load(std::memory_order_relaxed); }
    uint64_t failures() const { return failures_.load(std::memory_order_relaxed); }

private:
    using Clock = std::chrono::steady_clock;
    void loop();
    void collect_now();
    // Sends buffered lines until the buffer is empty or an attempt fails. False on failure.
    bool send_buffered();
    void failed(const std::string &what);
    void succeeded();

    InfluxSettings settings_;
    Collect collect_;
    std::unique_ptr<InfluxClient> client_;
    PointBuffer buffer_;
    bool database_ready_ = false;
    // The failure streak: its length and the wait before the next attempt.
    uint64_t streak_ = 0;
    std::chrono::milliseconds backoff_{0};
    uint64_t dropped_at_streak_start_ = 0;

    std::atomic<uint64_t> sent_{0}, dropped_{0}, failures_{0};
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stop_requested_ = false;
    std::thread thread_;
};

} // namespace mafio
