// What an output says about a run of failed writes (a full disk, a broker down): the host
// retries with backoff and nothing is lost, but an operator must hear of it once, not once per
// attempt. One line at the first failure of a streak, a reminder every `remind_s` while it
// lasts, one line when writing works again. With `min_gap_s` > 0, streak starts are
// rate-limited: a target flapping between failing and not gives at most one start line per
// `min_gap_s`, with the count of streaks left unreported (0: every streak is reported). Pure:
// the caller passes the time and logs what comes back. Shared by logr:V1 and rabbitmq:V1, each
// with its own wording.
#pragma once

#include <cstdint>
#include <string>

namespace mafio_plugins {

class FailureStreak {
public:
    struct Wording {
        const char *retrying; // after "<what>; " in a streak's first line
        const char *resuming; // "<resuming> <target> resumed after N failed attempts over T s"
        bool quote_target;    // the target in double quotes (a file path)
    };

    FailureStreak(Wording wording, double min_gap_s, double remind_s)
        : wording_(wording), min_gap_s_(min_gap_s), remind_s_(remind_s) {}

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
            std::string msg = what + "; " + wording_.retrying;
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

    // A successful write; returns the line to log when it ends a reported streak, or "".
    std::string succeeded(double now_s, const std::string &target) {
        if (failures_ == 0) return {};
        std::string msg;
        if (reported_) {
            const char *quote = wording_.quote_target ? "\"" : "";
            msg = std::string(wording_.resuming) + " " + quote + target + quote +
                  " resumed after " + std::to_string(failures_) + " failed attempts over " +
                  seconds(now_s - started_s_);
        } else {
            ++unreported_streaks_;
        }
        failures_ = 0;
        return msg;
    }

private:
    static std::string seconds(double s) {
        return std::to_string(static_cast<long long>(s < 0 ? 0 : s + 0.5)) + " s";
    }

    Wording wording_;
    double min_gap_s_, remind_s_;
    uint64_t failures_ = 0;
    double started_s_ = 0, last_start_log_s_ = 0, last_log_s_ = 0;
    bool reported_ = false, logged_any_ = false;
    uint64_t unreported_streaks_ = 0;
};

} // namespace mafio_plugins
