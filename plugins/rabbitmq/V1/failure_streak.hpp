// What the output says about a run of failed writes (broker down, refusing, or unroutable with
// on_unroutable: retry): the host retries with backoff and nothing is lost, but an operator must
// hear of it once, not once per attempt. One line at the first failure of a streak, a reminder
// every `remind_s` while it lasts, one line when publishing works again. Pure: the caller passes
// the time and logs what comes back.
#pragma once

#include <cstdint>
#include <string>

namespace rabbitmq_v1 {

class FailureStreak {
public:
    explicit FailureStreak(double remind_s = 300) : remind_s_(remind_s) {}

    bool active() const { return failures_ > 0; }

    // A failed attempt; the line to log, or "" for none.
    std::string failed(double now_s, const std::string &what) {
        if (failures_++ == 0) {
            started_s_ = last_log_s_ = now_s;
            return what + "; retrying with backoff, records are kept until the broker confirms "
                          "them";
        }
        if (now_s - last_log_s_ < remind_s_) return {};
        last_log_s_ = now_s;
        return what + "; still failing after " + std::to_string(failures_) + " attempts over " +
               seconds(now_s - started_s_);
    }

    // A write that succeeded; the line that ends a streak, or "".
    std::string succeeded(double now_s, const std::string &where) {
        if (failures_ == 0) return {};
        std::string msg = "publishing to " + where + " resumed after " + std::to_string(failures_) +
                          " failed attempts over " + seconds(now_s - started_s_);
        failures_ = 0;
        return msg;
    }

private:
    static std::string seconds(double s) {
        return std::to_string(static_cast<long long>(s < 0 ? 0 : s + 0.5)) + " s";
    }

    double remind_s_;
    uint64_t failures_ = 0;
    double started_s_ = 0, last_log_s_ = 0;
};

} // namespace rabbitmq_v1
