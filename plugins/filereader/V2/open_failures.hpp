// Files that cannot be opened for a reason of their own (permission denied, an I/O error...),
// as opposed to a shortage of descriptors (DescriptorBudget). Such a file keeps its place and
// position and is tried again once per scan, not at every read round.
//
// Each failing file is logged when it starts failing (rate-limited: a glob over thousands of
// unreadable files must not flood the log) and when it can be opened again; the gauge
// warn_unreadable counts the files failing now, so /health shows the condition. exit_on_eof
// gives up on a file after a bounded number of scans (given_up), so the agent finishes with an
// error naming it instead of waiting forever.
#pragma once

#include "fd_shortage.hpp"
#include "tailed_file.hpp"

#include <map>
#include <string>

namespace mafio_filereader {

// With exit_on_eof, a file that could not be opened at this many scans in a row ends the input
// with an error naming it (scan_interval apart: 10 s with the default 2 s).
constexpr unsigned kExitOnEofOpenScans = 5;

class OpenFailures {
public:
    struct Failure {
        std::string path;
        int err = 0;
        unsigned scans = 0;           // complete scans since it started failing
        bool tried_since_scan = true; // failed again since the last scan: wait for the next
    };

    explicit OpenFailures(ReaderEnv &env);

    // An open of `f` failed with `err` (not a shortage of descriptors).
    void failed(const TailedFile &f, int err);
    // `f` opened: it is no longer failing.
    void opened(const TailedFile &f);
    // `f` is no longer followed.
    void forget(const TailedFile &f) { failing_.erase(f.stream); }
    // Whether `f` failed since the last scan (it is tried again after the next one).
    bool wait_for_scan(const TailedFile &f) const;
    // A scan completed: every failing file may be tried again, and counts one more scan.
    void scan_done();

    const Failure *find(const TailedFile &f) const;
    bool empty() const { return failing_.empty(); }
    void update_gauge() const;

private:
    ReaderEnv &env_;
    mafio_metric_id gauge_;
    std::map<uint32_t, Failure> failing_; // by stream
    LogThrottle throttle_{10, std::chrono::minutes(1)};
};

} // namespace mafio_filereader
