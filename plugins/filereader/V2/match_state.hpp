// What the patterns of a filereader:V2 input match, compared from one complete scan to the
// next, so that an operator hears about a pattern that matches nothing or a match that is not a
// regular file once when it starts and once when it ends, not at every scan. Pure (unit-tested
// in test/unit/test_filereader_v2_fds.cpp); MatchWarnings logs the changes and keeps the
// warn_* gauges.
#pragma once

#include "scanner.hpp"

#include <algorithm>
#include <cstddef>
#include <vector>

namespace mafio_filereader {

class MatchState {
public:
    struct Changes {
        std::vector<size_t> now_empty;    // patterns (by index) that match no file now
        std::vector<size_t> now_matching; // patterns that matched nothing before and do now
        std::vector<NotRegular> appeared; // not-regular matches new since the last scan
        std::vector<NotRegular> went;     // not-regular matches gone since the last scan
    };

    // `per_pattern`: regular files each pattern matched; `not_regular` sorted by path (as
    // ScanResult has them).
    Changes update(const std::vector<size_t> &per_pattern,
                   const std::vector<NotRegular> &not_regular) {
        Changes c;
        if (state_.size() != per_pattern.size()) state_.assign(per_pattern.size(), unknown);
        for (size_t i = 0; i < per_pattern.size(); ++i) {
            const int now = per_pattern[i] > 0 ? matching : empty;
            if (now == empty && state_[i] != empty) c.now_empty.push_back(i);
            if (now == matching && state_[i] == empty) c.now_matching.push_back(i);
            state_[i] = now;
        }
        const auto by_path = [](const NotRegular &a, const NotRegular &b) {
            return a.path < b.path;
        };
        std::set_difference(not_regular.begin(), not_regular.end(), not_regular_.begin(),
                            not_regular_.end(), std::back_inserter(c.appeared), by_path);
        std::set_difference(not_regular_.begin(), not_regular_.end(), not_regular.begin(),
                            not_regular.end(), std::back_inserter(c.went), by_path);
        not_regular_ = not_regular;
        return c;
    }

    size_t empty_patterns() const {
        return static_cast<size_t>(std::count(state_.begin(), state_.end(), empty));
    }
    size_t not_regular() const { return not_regular_.size(); }

private:
    static constexpr int unknown = -1, empty = 0, matching = 1;
    std::vector<int> state_; // per pattern
    std::vector<NotRegular> not_regular_;
};

} // namespace mafio_filereader
