// A value as an error message shows it: in quotes, cut short when long so that a 4 KiB value
// stays readable, control characters replaced by '?' so a hostile value cannot inject escape
// sequences or fake lines into the log.
#pragma once

#include <string>
#include <string_view>

namespace mafio {

std::string quoted(std::string_view value);

} // namespace mafio
