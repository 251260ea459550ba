// command:V1's `allow`: the regular expressions (PCRE2) a record must match in full to be run.
// Anchored at both ends by PCRE2 itself (PCRE2_ANCHORED | PCRE2_ENDANCHORED), so `touch /tmp/.*`
// cannot be satisfied by a record that merely contains such a command. Records reach the list
// only once they are known to be valid UTF-8 without NUL, so patterns are compiled in UTF mode:
// `.` is one character, never a stray byte.
#pragma once

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <mafio/options.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace command_v1 {

class AllowList {
public:
    // Compiles `patterns` (the option at `where`, e.g. "outputs[0].allow"); a pattern that does
    // not compile throws mafio::Error naming its index, PCRE2's message and the offset.
    AllowList(const std::vector<std::string> &patterns, const std::string &where) {
        for (size_t i = 0; i < patterns.size(); ++i) {
            int code = 0;
            PCRE2_SIZE offset = 0;
            pcre2_code *re = pcre2_compile(
                reinterpret_cast<PCRE2_SPTR>(patterns[i].data()), patterns[i].size(),
                PCRE2_UTF | PCRE2_ANCHORED | PCRE2_ENDANCHORED, &code, &offset, nullptr);
            if (!re) {
                PCRE2_UCHAR msg[256];
                pcre2_get_error_message(code, msg, sizeof msg);
                throw mafio::Error(
                    where + "[" + std::to_string(i) + "]: \"" + patterns[i] +
                    "\" is not a valid regular expression: " + reinterpret_cast<const char *>(msg) +
                    " at offset " + std::to_string(offset));
            }
            regexes_.emplace_back(re, &pcre2_code_free);
        }
        data_.reset(pcre2_match_data_create(1, nullptr));
        if (!data_) throw std::bad_alloc();
    }

    // Whether some pattern matches the whole of `record` (valid UTF-8, checked by the caller).
    bool allows(std::string_view record) {
        for (const auto &re : regexes_) {
            const int rc = pcre2_match(re.get(), reinterpret_cast<PCRE2_SPTR>(record.data()),
                                       record.size(), 0, PCRE2_NO_UTF_CHECK, data_.get(), nullptr);
            // rc < 0: no match, or a matching error such as the match limit: not shown to match.
            if (rc > 0) return true;
        }
        return false;
    }

private:
    std::vector<std::unique_ptr<pcre2_code, decltype(&pcre2_code_free)>> regexes_;
    std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)> data_{
        nullptr, &pcre2_match_data_free};
};

} // namespace command_v1
