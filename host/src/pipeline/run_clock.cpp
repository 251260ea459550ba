#include "pipeline/run_clock.hpp"

#include <fmt/format.h>

namespace mafio {

namespace {
constexpr uint64_t max_counted_ticks = 1000000; // an @every 1ms over a long downtime
}

uint64_t RunClock::ticks_until(int64_t first, int64_t wall, int64_t &last) const {
    uint64_t n = 0;
    last = first;
    if (schedule_.every_ns() > 0) { // arithmetic: no walk over a million ticks
        n = static_cast<uint64_t>((wall - first) / schedule_.every_ns()) + 1;
        last = first + static_cast<int64_t>(n - 1) * schedule_.every_ns();
        return n;
    }
    for (int64_t t = first; t <= wall && n < max_counted_ticks; t = next_after(t)) {
        last = t;
        ++n;
    }
    return n;
}

void RunClock::begin(int64_t wall, int64_t mono, int64_t last_fire) {
    last_wall_ = wall;
    last_mono_ = mono;
    next_fire_ = next_after(wall);
    if (last_fire <= 0) return;
    const int64_t first = next_after(last_fire);
    if (first > wall) return;
    int64_t last = 0;
    const uint64_t n = ticks_until(first, wall, last);
    const std::string since = schedule::format_local(last_fire, schedule_.zone());
    if (policy_.catch_up) {
        pending_ = true;
        pending_fire_ = last;
        missed_ += n - 1;
        notes_.push_back(fmt::format("{} tick(s) missed since the last run ({}); running once now "
                                     "(catch_up one)",
                                     n, since));
    } else {
        missed_ += n;
        notes_.push_back(fmt::format("{} tick(s) missed since the last run ({}); waiting for the "
                                     "next tick (catch_up none)",
                                     n, since));
    }
}

void RunClock::observe(int64_t wall, int64_t mono, bool clock_set) {
    const int64_t drift = (wall - last_wall_) - (mono - last_mono_);
    last_wall_ = wall;
    last_mono_ = mono;
    if (!clock_set && drift < jump_threshold_ns && drift > -jump_threshold_ns) return;
    notes_.push_back(fmt::format("the wall clock jumped by {:+.1f} s", double(drift) / 1e9));
    // Backwards, the planned tick lies too far ahead: plan again. Forwards, the ticks passed
    // over are due now and on_wake() treats them as missed.
    if (drift < 0) next_fire_ = next_after(wall);
}

RunClock::Decision RunClock::on_wake(int64_t wall, int64_t mono, bool clock_set) {
    observe(wall, mono, clock_set);
    if (pending_) {
        pending_ = false;
        ++runs_;
        return {true, pending_fire_, 0};
    }
    if (wall < next_fire_) return {false, 0, next_fire_ - wall};
    int64_t last = 0;
    const uint64_t n = ticks_until(next_fire_, wall, last);
    next_fire_ = next_after(last);
    const bool on_time = wall - last <= late_tolerance_ns;
    if (!on_time && !policy_.catch_up) {
        missed_ += n;
        notes_.push_back(fmt::format("{} tick(s) missed (the agent could not run then); waiting "
                                     "for the next tick (catch_up none)",
                                     n));
        return {false, 0, next_fire_ - wall};
    }
    if (n > 1 || !on_time) {
        missed_ += n - 1;
        notes_.push_back(fmt::format("{} tick(s) missed (the agent could not run then); running "
                                     "once now",
                                     n - (on_time ? 1 : 0)));
    }
    ++runs_;
    return {true, last, 0};
}

void RunClock::on_run_end(int64_t wall, int64_t mono) {
    observe(wall, mono, false);
    if (next_fire_ > wall) return;
    int64_t last = 0;
    const uint64_t n = ticks_until(next_fire_, wall, last);
    next_fire_ = next_after(last);
    if (policy_.queue) {
        pending_ = true;
        pending_fire_ = last;
        skipped_ += n - 1;
    } else {
        skipped_ += n;
    }
}

} // namespace mafio
