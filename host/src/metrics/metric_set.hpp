// The metrics one plugin instance registers through the host table (metric_register,
// counter_add, gauge_set). Registration happens in create/start; updates are lock-free from any
// thread; snapshots (for /metrics) may be taken from any thread.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace mafio {

class MetricSet {
public:
    static constexpr uint32_t capacity = 64;
    static constexpr uint32_t invalid = UINT32_MAX; // returned when capacity is exhausted

    enum class Kind : uint32_t { counter = 0, gauge = 1 };

    struct Sample {
        std::string name;
        std::string help;
        Kind kind;
        int64_t value;
    };

    uint32_t register_metric(const std::string &name, const std::string &help, Kind kind);
    void add(uint32_t id, uint64_t delta) {
        if (id < capacity)
            values_[id].fetch_add(static_cast<int64_t>(delta), std::memory_order_relaxed);
    }
    void set(uint32_t id, int64_t value) {
        if (id < capacity) values_[id].store(value, std::memory_order_relaxed);
    }
    // The value of a registered metric by name; 0 when there is none.
    int64_t value(const std::string &name) const;
    std::vector<Sample> snapshot() const;
    // Registers every metric of `from` here with its current value, for a fresh instance that
    // continues another (a scheduled input's next run): the plugin's own registration then finds
    // them, so its counters keep counting across runs instead of starting again at 0, and its
    // gauges keep their last value until it sets them.
    void carry_from(const MetricSet &from);

private:
    struct Meta {
        std::string name, help;
        Kind kind;
    };
    mutable std::mutex mutex_;
    std::vector<Meta> meta_;
    std::array<std::atomic<int64_t>, capacity> values_{};
};

// What the host itself counts for every instance.
struct InstanceStats {
    std::atomic<uint64_t> records_in{0};      // records received (inputs: emitted)
    std::atomic<uint64_t> records_out{0};     // records passed on (filters) or delivered (outputs)
    std::atomic<uint64_t> records_dropped{0}; // removed by a filter
    std::atomic<uint64_t> records_failed{0};  // an output gave up on them
    std::atomic<uint64_t> bytes_in{0};
    std::atomic<uint64_t> batches{0};
    std::atomic<uint64_t> errors{0};  // failed callbacks
    std::atomic<uint64_t> retries{0}; // MAFIO_RETRY from an output

    // Read by the monitoring API (http/), written by the pipeline thread that runs the instance.
    std::atomic<int> thread_id{0};             // Linux tid of that thread, 0 before it runs
    std::atomic<int64_t> failing_since_ns{0};  // system clock; 0 while the last call succeeded
    std::atomic<bool> stopped_on_error{false}; // an input that ended with a permanent error

    // The pipeline calls these after each output write, so /health can tell how long an output
    // has been failing. The first failure of a streak sets the time; a success clears it.
    void note_success() { failing_since_ns.store(0, std::memory_order_relaxed); }
    void note_failure() {
        int64_t expected = 0;
        int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
        failing_since_ns.compare_exchange_strong(expected, now, std::memory_order_relaxed);
    }
};

} // namespace mafio
