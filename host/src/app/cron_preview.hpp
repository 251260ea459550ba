// mafio -cron "EXPR" [-cron-timezone ZONE]: the next five fire times of a schedule, so that an
// operator can check an expression before configuring it.
#pragma once

#include <optional>
#include <string>

namespace mafio {

// The text to print: five lines of RFC 3339 times in the schedule's zone. Throws UsageError
// naming the flag and what is accepted.
std::string cron_preview(const std::string &expression, const std::optional<std::string> &zone,
                         int64_t now_ns);

} // namespace mafio
