#include "http/bad_request_log.hpp"

#include "util/log.hpp"
#include "util/quoted.hpp"

namespace mafio {

std::string BadRequestLog::line(std::string_view method, std::string_view target,
                                std::string_view why, uint64_t left_out) {
    std::string s = "HTTP API: cannot read the request " + mafio::quoted(method) + " " +
                    mafio::quoted(target) + ": " + mafio::quoted(why) + "; answered 400";
    if (left_out > 0)
        s += " (" + std::to_string(left_out) + " more such requests since the last of these lines)";
    return s;
}

bool BadRequestLog::note(std::string_view method, std::string_view target, std::string_view why,
                         Clock::time_point now) {
    uint64_t left_out = 0;
    {
        std::lock_guard lock(mutex_);
        if (logged_ && now - last_ < interval_) {
            ++left_out_;
            return false;
        }
        logged_ = true;
        last_ = now;
        left_out = left_out_;
        left_out_ = 0;
    }
    log::write(log::Level::warn, "", line(method, target, why, left_out));
    return true;
}

} // namespace mafio
