#include "metrics/metric_set.hpp"

namespace mafio {

uint32_t MetricSet::register_metric(const std::string &name, const std::string &help, Kind kind) {
    std::lock_guard lock(mutex_);
    for (uint32_t i = 0; i < meta_.size(); ++i)
        if (meta_[i].name == name) return i;
    if (meta_.size() >= capacity) return invalid;
    meta_.push_back(Meta{name, help, kind});
    return static_cast<uint32_t>(meta_.size() - 1);
}

int64_t MetricSet::value(const std::string &name) const {
    std::lock_guard lock(mutex_);
    for (uint32_t i = 0; i < meta_.size(); ++i)
        if (meta_[i].name == name) return values_[i].load(std::memory_order_relaxed);
    return 0;
}

std::vector<MetricSet::Sample> MetricSet::snapshot() const {
    std::lock_guard lock(mutex_);
    std::vector<Sample> out;
    out.reserve(meta_.size());
    for (uint32_t i = 0; i < meta_.size(); ++i)
        out.push_back(Sample{meta_[i].name, meta_[i].help, meta_[i].kind,
                             values_[i].load(std::memory_order_relaxed)});
    return out;
}

void MetricSet::carry_from(const MetricSet &from) {
    for (const Sample &m : from.snapshot())
        set(register_metric(m.name, m.help, m.kind), m.value);
}

} // namespace mafio
