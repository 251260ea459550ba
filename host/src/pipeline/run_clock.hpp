// When a scheduled input runs (README "Scheduling"): the decisions alone, on times given to
// it, so that they can be tested without waiting. The pipeline asks on_wake() between runs
// (run now, or sleep how long on the monotonic clock) and tells on_run_end() when a run ended.
//
// - A tick while a run still runs: overlap "skip" counts it as skipped; "queue" runs once
//   more right after (several such ticks coalesce into that one run; the others are skipped).
// - A tick found more than `late_tolerance` late (the agent was down, the machine suspended,
//   the wall clock set forward) is missed: catch_up "none" counts it and waits for the next;
//   "one" runs once for all of them.
// - The wall clock set backwards: the next fire time is computed again from the new time.
#pragma once

#include "schedule/schedule.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace mafio {

struct RunPolicy {
    bool queue = false;    // overlap: queue (else skip)
    bool catch_up = false; // catch_up: one (else none)
};

class RunClock {
public:
    static constexpr int64_t late_tolerance_ns = 60LL * 1000000000;
    static constexpr int64_t jump_threshold_ns = 2LL * 1000000000;

    RunClock(schedule::Schedule s, RunPolicy p) : schedule_(std::move(s)), policy_(p) {}

    // Once, before the first wake. `last_fire_ns`: the fire time of the last run before the
    // agent stopped (0: unknown); with catch_up one, ticks missed since then run once.
    void begin(int64_t wall_ns, int64_t mono_ns, int64_t last_fire_ns);

    struct Decision {
        bool run = false;
        int64_t fire_ns = 0;  // run: the tick it is for
        int64_t sleep_ns = 0; // else: how long to sleep (monotonic) before asking again
    };
    // `clock_set`: the kernel reported that the wall clock was set.
    Decision on_wake(int64_t wall_ns, int64_t mono_ns, bool clock_set = false);
    void on_run_end(int64_t wall_ns, int64_t mono_ns);

    uint64_t runs() const { return runs_; }
    uint64_t skipped() const { return skipped_; }
    uint64_t missed() const { return missed_; }
    int64_t next_fire_ns() const { return next_fire_; }
    const schedule::Schedule &schedule() const { return schedule_; }
    // What to log since the last call (clock jumps, missed ticks).
    std::vector<std::string> take_notes() { return std::move(notes_); }

private:
    void observe(int64_t wall, int64_t mono, bool clock_set);
    // Ticks from `first` (a tick) up to `wall`: how many, and the latest in `last`.
    uint64_t ticks_until(int64_t first, int64_t wall, int64_t &last) const;
    int64_t next_after(int64_t t) const { return schedule_.next_after(t).value_or(INT64_MAX); }

    schedule::Schedule schedule_;
    RunPolicy policy_;
    int64_t next_fire_ = INT64_MAX;
    int64_t last_wall_ = 0, last_mono_ = 0;
    bool pending_ = false; // a queued or catch-up run starts at the next wake
    int64_t pending_fire_ = 0;
    uint64_t runs_ = 0, skipped_ = 0, missed_ = 0;
    std::vector<std::string> notes_;
};

} // namespace mafio
