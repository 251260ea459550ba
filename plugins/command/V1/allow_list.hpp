// command:V1's `allow`: the regular expressions a record must match in full to be run.
// Compiled by the plugins' shared PCRE2 wrapper (pcre2_regex.hpp) and anchored at both ends by
// PCRE2 itself (PCRE2_ANCHORED | PCRE2_ENDANCHORED), so `touch /tmp/.*` cannot be satisfied by a
// record that merely contains such a command. Records reach the list only once they are known
// to be valid UTF-8 without NUL, so patterns are compiled in UTF mode: `.` is one character,
// never a stray byte.
#pragma once

#include "../../common/pcre2_regex.hpp"

#include <mafio/options.hpp>

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace command_v1 {

class AllowList {
public:
    // Compiles `patterns` (the option at `where`, e.g. "outputs[0].allow"); a pattern that does
    // not compile throws mafio::Error naming its index, PCRE2's message and the offset.
    AllowList(const std::vector<std::string> &patterns, const std::string &where) {
        regexes_.reserve(patterns.size());
        for (size_t i = 0; i < patterns.size(); ++i) {
            try {
                regexes_.emplace_back(patterns[i], PCRE2_UTF | PCRE2_ANCHORED | PCRE2_ENDANCHORED);
            } catch (const std::invalid_argument &e) {
                throw mafio::Error(where + "[" + std::to_string(i) + "]: \"" + patterns[i] +
                                   "\": " + e.what());
            }
        }
    }

    // Whether some pattern matches the whole of `record` (valid UTF-8, checked by the caller).
    bool allows(std::string_view record) {
        for (auto &re : regexes_)
            if (re.match(record)) return true;
        return false;
    }

private:
    std::vector<mafio_plugins::Regex> regexes_;
};

} // namespace command_v1
