// The pace of retries while etcd cannot be reached: doubling from `initial` up to `max`, back to
// `initial` after a success. Deterministic (no jitter): agents that lost etcd at different
// moments are already spread out.
#pragma once

#include <algorithm>
#include <chrono>

namespace mafio {

class Backoff {
public:
    using ms = std::chrono::milliseconds;
    Backoff(ms initial, ms max) : initial_(initial), max_(max), next_(initial) {}

    // The wait before the next attempt; each call doubles the one after, up to max.
    ms next() {
        ms now = next_;
        next_ = std::min(max_, next_ * 2);
        return now;
    }
    void reset() { next_ = initial_; }

private:
    ms initial_, max_, next_;
};

} // namespace mafio
