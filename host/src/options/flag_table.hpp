// The one list of every command-line flag: its name, what it sets in CommandLine, its default
// and its help. The parser, the usage text and the error messages all read it, so a flag is
// declared exactly once.
#pragma once

#include "options/command_line.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace mafio {

enum class FlagKind { text, integer, boolean };

struct FlagSpec {
    std::string_view name; // without dashes: "input"
    FlagKind kind;
    std::string_view default_text; // as the usage shows it; empty when there is none
    std::string_view help;
    std::string_view accepted; // what a value looks like, for error messages
    // Exactly one of these is set, matching `kind`.
    std::optional<std::string> CommandLine::*text = nullptr;
    std::optional<int64_t> CommandLine::*integer = nullptr;
    bool CommandLine::*boolean = nullptr;
    int64_t min = 0, max = 0; // inclusive range of an integer flag
    bool hidden = false;      // an alias the usage text does not list again
    bool once = false;        // given twice is an error instead of Go's last-wins
};

std::span<const FlagSpec> flag_table();

// nullptr when there is no such flag.
const FlagSpec *find_flag(std::string_view name);

} // namespace mafio
