// Says when a filereader:V2 input would silently do nothing: a path pattern that matches no
// file, a match that is a directory or a FIFO (not read). Logged once when the condition starts
// and once when it ends (rate-limited for many paths), and kept in the gauges warn_no_match and
// warn_not_regular, which /health lists as warnings (the warn_<condition> convention of
// mafio/abi/metric.h).
#pragma once

#include "fd_shortage.hpp"
#include "match_state.hpp"

#include <mafio/plugin.hpp>

#include <string>
#include <vector>

namespace mafio_filereader {

class MatchWarnings {
public:
    MatchWarnings(mafio::Host host, std::vector<std::string> patterns);

    // After each complete scan.
    void update(const ScanResult &r);

private:
    bool may_log();

    mafio::Host host_;
    std::vector<std::string> patterns_;
    MatchState state_;
    mafio_metric_id no_match_, not_regular_;
    LogThrottle throttle_{10, std::chrono::minutes(1)};
};

} // namespace mafio_filereader
