// A compiled PCRE2 regular expression with its own match data: compile once (JIT when the
// platform has it), then match any number of subjects without allocating.
//
// Why PCRE2 with JIT: on the nginx preset's 10 named groups over ~110-byte lines it matches in
// well under a microsecond, several times faster than std::regex (which also allocates per match
// and recurses per character) and without RE2's C++ dependency; see parser:V1's commit for the
// figures. Patterns match bytes (no PCRE2_UTF): `.` is one byte and invalid UTF-8 in a record is
// just bytes, never an error. A pattern may opt into UTF mode with a leading (*UTF); a subject
// that is then not valid UTF-8 simply does not match.
//
// Not thread-safe: one Regex per plugin instance ([instance] calls come one at a time).
#pragma once

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mafio_plugins {

class Regex {
public:
    struct Group {
        std::string name;
        uint32_t index;
    };

    // Throws std::invalid_argument with PCRE2's message and the offset of the error.
    explicit Regex(std::string_view pattern, uint32_t options = 0) {
        int code = 0;
        PCRE2_SIZE offset = 0;
        code_ = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), options,
                              &code, &offset, nullptr);
        if (!code_) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(code, msg, sizeof msg);
            throw std::invalid_argument("invalid regular expression at offset " +
                                        std::to_string(offset) + ": " +
                                        reinterpret_cast<const char *>(msg));
        }
        // JIT can be unavailable (an unsupported CPU, or a kernel refusing executable memory):
        // the interpreter then matches the same, only slower.
        jit_ = pcre2_jit_compile(code_, PCRE2_JIT_COMPLETE) == 0;
        data_ = pcre2_match_data_create_from_pattern(code_, nullptr);
        if (!data_) {
            pcre2_code_free(code_);
            throw std::bad_alloc();
        }
        ovector_ = pcre2_get_ovector_pointer(data_); // fixed for the match data's life
        read_names();
    }
    ~Regex() {
        pcre2_match_data_free(data_);
        pcre2_code_free(code_);
    }
    Regex(const Regex &) = delete;
    Regex &operator=(const Regex &) = delete;
    Regex(Regex &&o) noexcept
        : code_(std::exchange(o.code_, nullptr)), data_(std::exchange(o.data_, nullptr)),
          ovector_(o.ovector_), jit_(o.jit_), groups_(std::move(o.groups_)) {}

    // Whether the pattern matches somewhere in `subject`. Afterwards group() reads the captures
    // of that match (views into `subject`).
    bool match(std::string_view subject) {
        const auto *s = reinterpret_cast<PCRE2_SPTR>(subject.data());
        const int rc = jit_ ? pcre2_jit_match(code_, s, subject.size(), 0, 0, data_, nullptr)
                            : pcre2_match(code_, s, subject.size(), 0, 0, data_, nullptr);
        // rc < 0: no match, or a matching error (a match limit, invalid UTF in (*UTF) mode): a
        // record the pattern cannot be shown to match does not match.
        subject_ = rc > 0 ? subject.data() : nullptr;
        captured_ = rc > 0 ? static_cast<uint32_t>(rc) : 0; // groups past the last set are unset
        return rc > 0;
    }

    // Capture `index` of the last successful match; nullopt when that group did not take part.
    std::optional<std::string_view> group(uint32_t index) const {
        if (index >= captured_) return std::nullopt;
        const PCRE2_SIZE *ov = ovector_;
        if (ov[2 * index] == PCRE2_UNSET) return std::nullopt;
        return std::string_view(subject_ + ov[2 * index], ov[2 * index + 1] - ov[2 * index]);
    }

    // The named groups in the order of their numbers (a duplicate name with (?J) appears once
    // per number).
    const std::vector<Group> &named_groups() const { return groups_; }
    bool jit() const { return jit_; }

private:
    void read_names() {
        uint32_t count = 0, entry = 0;
        PCRE2_SPTR table = nullptr;
        pcre2_pattern_info(code_, PCRE2_INFO_NAMECOUNT, &count);
        pcre2_pattern_info(code_, PCRE2_INFO_NAMEENTRYSIZE, &entry);
        pcre2_pattern_info(code_, PCRE2_INFO_NAMETABLE, &table);
        for (uint32_t i = 0; i < count; ++i) {
            const PCRE2_SPTR e = table + static_cast<size_t>(i) * entry;
            const uint32_t number = (static_cast<uint32_t>(e[0]) << 8) | e[1];
            groups_.push_back({reinterpret_cast<const char *>(e + 2), number});
        }
        // The table is sorted by name; fields come out in the order the pattern writes them.
        for (size_t i = 1; i < groups_.size(); ++i)
            for (size_t j = i; j > 0 && groups_[j - 1].index > groups_[j].index; --j)
                std::swap(groups_[j - 1], groups_[j]);
    }

    pcre2_code *code_ = nullptr;
    pcre2_match_data *data_ = nullptr;
    PCRE2_SIZE *ovector_ = nullptr;
    bool jit_ = false;
    std::vector<Group> groups_;
    const char *subject_ = nullptr;
    uint32_t captured_ = 0; // pcre2_match's count: 1 + the highest group set
};

} // namespace mafio_plugins
