// The checks every configuration value passes, whether it came from the config file, -f or a
// flag. Each returns std::nullopt when the value is acceptable, otherwise what is wrong and what
// would be accepted; the caller puts the flag or JSON path in front.
#pragma once

#include "config/channel_limits.hpp"
#include "util/quoted.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mafio {

// Agent id and group: the id names a directory (data_dir) and the group an InfluxDB database,
// so both are one safe word.
std::optional<std::string> check_agent_word(std::string_view value);

// debug | info | warn | error.
std::optional<std::string> check_log_level(std::string_view value);

// name or name:tag with name [a-z0-9_]+ and tag [A-Za-z0-9_.]+.
std::optional<std::string> check_plugin_name(std::string_view value);

std::optional<std::string> check_record_count(uint64_t value, RecordCountRange range);

} // namespace mafio
