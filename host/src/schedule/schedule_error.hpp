#pragma once

#include <stdexcept>
#include <string>

namespace mafio::schedule {

// A bad expression, duration or time zone. The message says what is wrong and what is accepted,
// without saying where it was configured: the caller prefixes that.
class ScheduleError : public std::runtime_error {
public:
    explicit ScheduleError(const std::string &what) : std::runtime_error(what) {}
};

} // namespace mafio::schedule
