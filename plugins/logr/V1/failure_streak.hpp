// logr's words for a run of failed writes (a full disk); the logic is the outputs' shared one
// (plugins/common/failure_streak.hpp). Streak starts are rate-limited to one a minute by
// default: a disk flapping between full and not full must not flood the log.
#pragma once

#include "../../common/failure_streak.hpp"

namespace logr_v1 {

class FailureStreak : public mafio_plugins::FailureStreak {
public:
    explicit FailureStreak(double min_gap_s = 60, double remind_s = 300)
        : mafio_plugins::FailureStreak(
              {"retrying, records are kept until written", "writing to", true}, min_gap_s,
              remind_s) {}
};

} // namespace logr_v1
