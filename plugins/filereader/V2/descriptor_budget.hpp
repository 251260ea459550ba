// Opens and closes followed files, keeping the descriptors held within max_open_files, and
// gives each open file its inotify watch.
//
// When the budget is spent, the file idle at its end the longest is closed to make room.
// Invariants:
// - a file that is not at its end keeps its descriptor (closing it would only re-read the
//   held partial line), except to give descriptors back in a shortage (below);
// - a rotated or deleted file keeps its descriptor: no path reaches it any more. That is also
//   why open() itself does not enforce the limit: a file adopted as rotated must be opened now
//   or never (only the read round's open_within_limit() does);
// - open_count() is the number of files opened through here and not closed since.
// The trade-off: a closed file is looked at again only by the scan (scan_interval), and a file
// renamed away while closed cannot be followed.
//
// Running out of descriptors (EMFILE, ENFILE: the process or the system has none left, see
// fd_shortage.hpp) is not the file's fault: the file keeps its position and waits, and the
// input holds fewer descriptors from then on: limit() drops below what it holds by
// descriptors_to_give_back(), and active files are closed down to it, so the rest of the agent
// (HTTP API, outputs, checkpoint stores) has descriptors again. The limit grows back, at most to
// max_open_files, at a scan that finds the process with more free descriptors than the reserve
// (regrow()). One warning per shortage, rate-limited.
#pragma once

#include "fd_shortage.hpp"
#include "file_set.hpp" // and through it TailedFile
#include "open_failures.hpp"
#include "watcher.hpp"

#include <cstddef>
#include <string>

namespace mafio_filereader {

class DescriptorBudget {
public:
    DescriptorBudget(ReaderEnv &env, Watcher &watcher, FileSet &files, OpenFailures &failures);

    // Opens `f` (identity checked, see TailedFile::open) and watches it. False when it cannot
    // be opened now (last_error() says why, 0 when the file is gone); a file found gone is
    // marked dead and a scan is requested.
    bool open(TailedFile &f);
    // The same, after closing the longest idle file if the budget is spent. False when no
    // file can give its descriptor up, or when `f` failed to open since the last scan.
    bool open_within_limit(TailedFile &f);
    // Closes `f` if open; it continues at the end of its last complete line when reopened.
    void close(TailedFile &f);
    // `f` is no longer followed (dropped from the FileSet).
    void forget(TailedFile &f) { failures_.forget(f); }
    int last_error() const { return last_error_; }

    // No descriptor was left for `what` (errno `err`): hold fewer, and say so (rate-limited).
    void note_shortage(int err, const std::string &what);
    // At a complete scan: raise a lowered limit again if the process has descriptors to spare.
    void regrow();
    size_t limit() const { return limit_; }

    size_t open_count() const { return open_count_; }
    // A file turned out renamed or deleted when it was reopened: the scan should look soon
    // for whatever is at its path now. Cleared by the scan (clear_scan_request).
    bool scan_requested() const { return scan_requested_; }
    void clear_scan_request() { scan_requested_ = false; }

private:
    bool make_room(const TailedFile *for_file);
    void shed();
    void report_open_failure(TailedFile &f, int err);

    ReaderEnv &env_;
    Watcher &watcher_;
    FileSet &files_;
    OpenFailures &failures_;
    size_t limit_;
    size_t open_count_ = 0;
    int last_error_ = 0;
    bool scan_requested_ = false;
    LogThrottle shortage_log_{1, std::chrono::minutes(1)};
};

} // namespace mafio_filereader
