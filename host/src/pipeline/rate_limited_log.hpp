// Logs the first error of a streak at once, then at most one summary line per interval, so a
// failing destination cannot flood the log.
#pragma once

#include "util/log.hpp"

#include <chrono>
#include <cstdint>
#include <string>

namespace mafio {

class RateLimitedLog {
public:
    explicit RateLimitedLog(std::chrono::seconds interval = std::chrono::seconds(10))
        : interval_(interval) {}

    void error(const std::string &where, const std::string &message) {
        auto now = std::chrono::steady_clock::now();
        if (last_ != std::chrono::steady_clock::time_point{} && now - last_ < interval_) {
            ++suppressed_;
            return;
        }
        std::string line = message;
        if (suppressed_ > 0)
            line += " (" + std::to_string(suppressed_) + " similar errors since the last report)";
        log::write(log::Level::error, where, line);
        suppressed_ = 0;
        last_ = now;
    }

private:
    std::chrono::seconds interval_;
    std::chrono::steady_clock::time_point last_{};
    uint64_t suppressed_ = 0;
};

} // namespace mafio
