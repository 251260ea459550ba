// What logr says about a run of failed writes (a full disk: the host retries with backoff and
// nothing is lost, but the operator must hear of it). One warning at the first failure of a
// streak, a reminder every `remind_s` while it lasts, and one line when writing works again.
// Streak starts are rate-limited: a disk flapping between full and not full gives at most one
// start line per `min_gap_s`, with the count of streaks left unreported. Pure: the caller passes
// the time and logs what comes back.
#pragma once

#include <cstdint>
#include <string>

namespace logr_v1 {

class FailureStreak {
public:
    explicit FailureStreak(double min_gap_s = 60, double remind_s = 300)
        : min_gap_s_(min_gap_s), remind_s_(remind_s) {}

    bool active() const { return failures_ > 0; }
    uint64_t failures() const { return failures_; }

    // A failed attempt; returns the warning to log, or "" for none.
    std::string failed(double now_s, const std::string &what) {
        if (failures_++ == 0) {
            started_s_ = now_s;
            reported_ = false;
        }
        if (!reported_) {
            if (logged_any_ && now_s - last_start_log_s_ < min_gap_s_) return {};
            std::string msg = what + "; retrying, records are kept until written";
            if (failures_ > 1)
                msg += " (failing for " + seconds(now_s - started_s_) + ", " +
                       std::to_string(failures_) + " attempts)";
            if (unreported_streaks_ > 0)
                msg += "; " + std::to_string(unreported_streaks_) +
                       " shorter failure streaks before this one were not logged";
            unreported_streaks_ = 0;
            reported_ = logged_any_ = true;
            last_start_log_s_ = last_log_s_ = now_s;
            return msg;
        }
        if (now_s - last_log_s_ < remind_s_) return {};
        last_log_s_ = now_s;
        return what + "; still failing after " + std::to_string(failures_) + " attempts over " +
               seconds(now_s - started_s_);
    }

    // A successful write; returns the line to log when it ends a reported streak.
    std::string succeeded(double now_s, const std::string &target) {
        if (failures_ == 0) return {};
        std::string msg;
        if (reported_)
            msg = "writing to \"" + target + "\" resumed after " + std::to_string(failures_) +
                  " failed attempts over " + seconds(now_s - started_s_);
        else
            ++unreported_streaks_;
        failures_ = 0;
        return msg;
    }

private:
    static std::string seconds(double s) {
        return std::to_string(static_cast<long long>(s < 0 ? 0 : s + 0.5)) + " s";
    }

    double min_gap_s_, remind_s_;
    uint64_t failures_ = 0;
    double started_s_ = 0, last_start_log_s_ = 0, last_log_s_ = 0;
    bool reported_ = false, logged_any_ = false;
    uint64_t unreported_streaks_ = 0;
};

} // namespace logr_v1
