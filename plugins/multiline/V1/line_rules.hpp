// Which lines of a stream belong together (multiline:V1): for each line, whether it starts a
// new record or continues the one being assembled. Presets for the stack traces services print
// (Java, Python, Go) are plain code, no regex; `start`/`continue` regexes use PCRE2 with JIT,
// compiled once with one match block each, so classifying a line allocates nothing.
#pragma once

#include "../../common/pcre2_regex.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace multiline_v1 {

enum class Preset { none, java, python, go };

// What the rules remember about the record being assembled (its own, per stream).
struct GroupState {
    bool python_traceback = false; // began with "Traceback (most recent call last):"
    bool python_indented = false;  // its last line was indented (a frame or source line)
    bool python_closed = false;    // its final "Error: message" line has been seen
    bool python_chained = false;   // "During handling ..." seen: a Traceback line continues
    bool go_panic = false;         // began with "panic: " or "fatal error: "
    bool operator==(const GroupState &) const = default;
};

// `start`/`continue` patterns, in UTF mode with invalid UTF-8 tolerated (PCRE2_MATCH_INVALID_UTF:
// a line with stray bytes can still match around them).
using mafio_plugins::Regex;
constexpr uint32_t kLineRegexOptions = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;

class LineRules {
public:
    // A preset, or regexes (either may be null). Throws std::invalid_argument when none is
    // given.
    LineRules(Preset preset, std::unique_ptr<Regex> start, std::unique_ptr<Regex> cont);

    // True when `line` continues the record `group` describes (which has at least one line).
    // Either way `group` is updated: a line that starts a record resets it first.
    bool continues(std::string_view line, GroupState &group) const;

private:
    bool java(std::string_view line) const;
    bool python(std::string_view line, GroupState &g) const;
    bool go(std::string_view line, GroupState &g) const;
    bool custom(std::string_view line) const;

    Preset preset_;
    std::unique_ptr<Regex> start_, continue_;
};

Preset preset_named(const std::string &name); // throws std::invalid_argument

} // namespace multiline_v1
