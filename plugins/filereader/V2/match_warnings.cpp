#include "match_warnings.hpp"

#include <utility>

namespace mafio_filereader {

MatchWarnings::MatchWarnings(mafio::Host host, std::vector<std::string> patterns)
    : host_(host), patterns_(std::move(patterns)),
      no_match_(host.gauge("warn_no_match", "path patterns that match no file")),
      not_regular_(host.gauge("warn_not_regular",
                              "matched paths that are not regular files (directories, FIFOs), "
                              "not read")) {}

bool MatchWarnings::may_log() {
    if (!throttle_.allow(LogThrottle::Clock::now())) return false;
    if (const uint64_t held = throttle_.take_suppressed(); held > 0)
        host_.warn(std::to_string(held) +
                   " more messages about what the paths match were not logged in the last "
                   "minute");
    return true;
}

void MatchWarnings::update(const ScanResult &r) {
    const MatchState::Changes c = state_.update(r.matches_per_pattern, r.not_regular);
    const auto named_exactly = [&](const std::string &pattern) {
        for (const auto &n : r.not_regular)
            if (n.path == pattern) return true;
        return false;
    };
    for (size_t i : c.now_empty)
        if (!named_exactly(patterns_[i]) && may_log()) // else the next lines say what it is
            host_.warn("path \"" + patterns_[i] +
                       "\" matches no regular file (yet); it is scanned again every "
                       "scan_interval and read as soon as it does");
    for (size_t i : c.now_matching)
        if (may_log())
            host_.info("path \"" + patterns_[i] + "\" matches " +
                       std::to_string(r.matches_per_pattern[i]) + " file(s) now");
    for (const auto &n : c.appeared)
        if (may_log())
            host_.warn("\"" + n.path + "\" is " + n.what +
                       ", not a regular file: filereader:V2 does not read it" +
                       (std::string(n.what) == "a directory"
                            ? " (a pattern such as \"" + n.path + "/*.log\" reads files in it)"
                            : " (it reads regular files, whose positions it can keep)"));
    for (const auto &n : c.went)
        if (may_log()) host_.info("\"" + n.path + "\" is no longer matched as " + n.what);
    host_.set(no_match_, static_cast<int64_t>(state_.empty_patterns()));
    host_.set(not_regular_, static_cast<int64_t>(state_.not_regular()));
}

} // namespace mafio_filereader
