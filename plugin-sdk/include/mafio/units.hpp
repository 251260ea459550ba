// Parsing of the human units used in options and configuration ("100MiB", "5s") and the
// "did you mean" lookup used in error messages. Shared by the host and by plugin.hpp so that a
// size or a duration means the same thing everywhere.
#pragma once

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mafio {

namespace detail {
inline bool split_number(std::string_view s, double &value, std::string &unit) {
    size_t i = 0;
    while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.'))
        ++i;
    if (i == 0) return false;
    try {
        size_t used = 0;
        value = std::stod(std::string(s.substr(0, i)), &used);
        if (used != i) return false;
    } catch (...) {
        return false;
    }
    std::string_view rest = s.substr(i);
    while (!rest.empty() && rest.front() == ' ')
        rest.remove_prefix(1);
    unit.assign(rest);
    for (auto &c : unit)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return true;
}
} // namespace detail

// "1048576", "512KiB", "100MiB", "1GB", "10 MB". Binary (KiB, MiB, GiB) and decimal (KB, MB,
// GB) units; "K", "M", "G" are binary. Returns nullopt for anything else.
inline std::optional<uint64_t> parse_size(std::string_view s) {
    double v = 0;
    std::string unit;
    if (!detail::split_number(s, v, unit)) return std::nullopt;
    static const std::pair<const char *, double> units[] = {{"", 1},
                                                            {"b", 1},
                                                            {"k", 1024.0},
                                                            {"kib", 1024.0},
                                                            {"kb", 1e3},
                                                            {"m", 1048576.0},
                                                            {"mib", 1048576.0},
                                                            {"mb", 1e6},
                                                            {"g", 1073741824.0},
                                                            {"gib", 1073741824.0},
                                                            {"gb", 1e9}};
    for (const auto &[name, mul] : units) {
        if (unit == name) {
            double bytes = v * mul;
            if (bytes > 1.8e19) return std::nullopt;
            // round, not llround: a long long ends at 2^63, the sizes here at 1.8e19.
            return static_cast<uint64_t>(std::round(bytes));
        }
    }
    return std::nullopt;
}

// "250ms", "5s", "1.5m", "2h", or a plain number of seconds. Returns seconds.
inline std::optional<double> parse_duration(std::string_view s) {
    double v = 0;
    std::string unit;
    if (!detail::split_number(s, v, unit)) return std::nullopt;
    if (unit.empty() || unit == "s") return v;
    if (unit == "ms") return v / 1000.0;
    if (unit == "us") return v / 1e6;
    if (unit == "m") return v * 60.0;
    if (unit == "h") return v * 3600.0;
    return std::nullopt;
}

// Edit distance, for suggestions.
inline size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diag = up;
        }
    }
    return row[b.size()];
}

// The known word closest to `word`, or "" when none is plausibly meant.
inline std::string closest_match(std::string_view word, const std::vector<std::string> &known) {
    std::string best;
    size_t best_d = std::max<size_t>(3, word.size() / 2) + 1;
    for (const auto &k : known) {
        size_t d = edit_distance(word, k);
        if (d < best_d) {
            best_d = d;
            best = k;
        }
    }
    return best;
}

} // namespace mafio
