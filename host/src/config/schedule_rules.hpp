// The rules of an input's "schedule", "timezone", "overlap" and "catch_up" keys.
#pragma once

#include "config/agent_config.hpp"
#include "schedule/schedule.hpp"

#include <optional>
#include <string>

namespace mafio {

// nullopt when fine; else the message, starting with the JSON path of the key at fault
// (`inputs[0].schedule: field 2 (hour) "25": expected 0-23, ...`).
std::optional<std::string> check_input_schedule(const InputScheduleSpec &s,
                                                const std::string &where);

// The parsed schedule of a checked spec (throws ScheduleError otherwise).
schedule::Schedule parse_input_schedule(const InputScheduleSpec &s);

} // namespace mafio
