// The metrics one plugin instance registers through the host table (metric_register,
// counter_add, gauge_set). Registration happens in create/start; updates are lock-free from any
// thread; snapshots (for /metrics) may be taken from any thread.
#pragma once

#include <array>
#include <atomic>
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
        if (id < capacity) values_[id].fetch_add(static_cast<int64_t>(delta), std::memory_order_relaxed);
    }
    void set(uint32_t id, int64_t value) {
        if (id < capacity) values_[id].store(value, std::memory_order_relaxed);
    }
    // The value of a registered metric by name; 0 when there is none.
    int64_t value(const std::string &name) const;
    std::vector<Sample> snapshot() const;

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
    std::atomic<uint64_t> records_in{0};  // records received (inputs: emitted)
    std::atomic<uint64_t> records_out{0}; // records passed on (filters) or delivered (outputs)
    std::atomic<uint64_t> records_dropped{0}; // removed by a filter
    std::atomic<uint64_t> records_failed{0};  // an output gave up on them
    std::atomic<uint64_t> bytes_in{0};
    std::atomic<uint64_t> batches{0};
    std::atomic<uint64_t> errors{0};  // failed callbacks
    std::atomic<uint64_t> retries{0}; // MAFIO_RETRY from an output
};

} // namespace mafio
