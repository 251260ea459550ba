// logr's `time_format`: a strftime pattern for the date part of rotated file names. Besides
// formatting, it must recognise names it produced (to find rotated files again after a restart:
// the oldest beyond max_files are deleted, leftovers compressed), so only directives whose output
// has a known shape are accepted, and each becomes a token: a literal, or a run of digits,
// letters or zone characters of a known length.
#pragma once

#include <cstdint>
#include <cstring>
#include <ctime>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace logr_v1 {

class TimeFormat {
public:
    // Throws std::invalid_argument saying what is wrong and what is accepted.
    explicit TimeFormat(std::string fmt) : fmt_(std::move(fmt)) {
        if (fmt_.empty()) throw std::invalid_argument("must not be empty");
        bool directive = false;
        for (size_t i = 0; i < fmt_.size(); ++i) {
            const char c = fmt_[i];
            if (c == '/' || c == '\0')
                throw std::invalid_argument("must not contain '/' or NUL (it names a file)");
            if (c != '%') {
                tokens_.push_back({Kind::literal, c, 1, 1});
                continue;
            }
            if (i + 1 == fmt_.size()) throw std::invalid_argument("ends with a lone '%'");
            const char d = fmt_[++i];
            if (d == '%') {
                tokens_.push_back({Kind::literal, '%', 1, 1});
                continue;
            }
            if (!expand(d))
                throw std::invalid_argument(std::string("unsupported directive %") + d +
                                            "; accepted: " + kAccepted);
            directive = true;
        }
        if (!directive)
            throw std::invalid_argument(
                "has no % directive (every rotated file would get the same name)");
    }

    const std::string &pattern() const { return fmt_; }

    // The pattern applied to `t` in local time.
    std::string format(time_t t) const {
        struct tm tm {};
        localtime_r(&t, &tm);
        char buf[512];
        const size_t n = std::strftime(buf, sizeof buf, fmt_.c_str(), &tm);
        return {buf, n};
    }

    // True when `s` could be the output of format() for some time.
    bool matches(std::string_view s) const { return match(0, s); }

    static constexpr const char *kAccepted =
        "%Y %y %m %d %e %j %H %I %k %l %M %S %p %a %A %b %h %B %u %w %U %V %W %G %g %C %s "
        "%z %Z %F %T %R %%";

private:
    enum class Kind { literal, digits, padded, letters, zone_offset, zone_name };
    struct Token {
        Kind kind;
        char literal;
        uint8_t min, max; // length range
    };

    // The shape of each accepted directive's output; %F, %T and %R are spelled out.
    bool expand(char d) {
        struct Shape {
            const char *directives;
            Kind kind;
            uint8_t min, max;
        };
        static constexpr Shape kShapes[] = {
            {"YG", Kind::digits, 4, 4},       {"ymdHIMSUVWgC", Kind::digits, 2, 2},
            {"j", Kind::digits, 3, 3},        {"uw", Kind::digits, 1, 1},
            {"s", Kind::digits, 1, 20},       {"ekl", Kind::padded, 2, 2},
            {"paAbhB", Kind::letters, 1, 32}, {"z", Kind::zone_offset, 5, 5},
            {"Z", Kind::zone_name, 1, 16},
        };
        auto spell = [&](const char *seq) { // "Y-m-d": directives and literal separators
            for (; *seq; ++seq)
                if (!expand(*seq)) tokens_.push_back({Kind::literal, *seq, 1, 1});
            return true;
        };
        if (d == 'F') return spell("Y-m-d");
        if (d == 'T') return spell("H:M:S");
        if (d == 'R') return spell("H:M");
        for (const Shape &s : kShapes)
            if (d != '\0' && std::strchr(s.directives, d)) {
                tokens_.push_back({s.kind, 0, s.min, s.max});
                return true;
            }
        return false;
    }

    static bool fits(const Token &t, std::string_view s, size_t at, size_t len) {
        for (size_t i = 0; i < len; ++i) {
            const char c = s[at + i];
            const bool digit = c >= '0' && c <= '9';
            const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            switch (t.kind) {
            case Kind::literal:
                if (c != t.literal) return false;
                break;
            case Kind::digits:
                if (!digit) return false;
                break;
            case Kind::padded:
                if (!digit && !(c == ' ' && i == 0)) return false;
                break;
            case Kind::letters:
                if (!alpha) return false;
                break;
            case Kind::zone_offset:
                if (i == 0 ? (c != '+' && c != '-') : !digit) return false;
                break;
            case Kind::zone_name: // abbreviations, or offsets such as "+04" in tzdata
                if (!alpha && !digit && c != '+' && c != '-') return false;
                break;
            }
        }
        return true;
    }

    // Backtracking only over the variable-length tokens; names are short.
    bool match(size_t token, std::string_view s, size_t at = 0) const {
        if (token == tokens_.size()) return at == s.size();
        const Token &t = tokens_[token];
        for (size_t len = t.min; len <= t.max && at + len <= s.size(); ++len) {
            if (!fits(t, s, at, len)) break; // a longer run cannot fit either
            if (match(token + 1, s, at + len)) return true;
        }
        return false;
    }

    std::string fmt_;
    std::vector<Token> tokens_;
};

} // namespace logr_v1
