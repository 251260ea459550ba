// The neutral shape every exported metric takes before it is rendered: a family (one name, one
// type, one help text) of labelled series. /metrics (prometheus_text.hpp) and the InfluxDB
// pusher (line_protocol.hpp) both render these, so the two always show the same figures.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace mafio {

// A counter value stays an integer (exact past 2^53); gauges such as CPU seconds are doubles.
struct MetricValue {
    bool is_integer = true;
    int64_t integer = 0;
    double real = 0;

    static MetricValue of(int64_t v) { return {true, v, 0}; }
    static MetricValue of_u(uint64_t v) { return {true, static_cast<int64_t>(v), 0}; }
    static MetricValue of_real(double v) { return {false, 0, v}; }
};

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

struct MetricSeries {
    MetricLabels labels;
    MetricValue value;
};

struct MetricFamily {
    enum class Type { counter, gauge };
    std::string name; // Prometheus name, counters end in _total
    std::string help;
    Type type = Type::gauge;
    std::vector<MetricSeries> series;
};

} // namespace mafio
