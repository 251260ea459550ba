// Opens and closes followed files, keeping the descriptors held within max_open_files, and
// gives each open file its inotify watch.
//
// When the budget is spent, the file idle at its end the longest is closed to make room.
// Invariants:
// - a file that is not at its end keeps its descriptor (closing it would only re-read the
//   held partial line);
// - a rotated or deleted file keeps its descriptor: no path reaches it any more. That is also
//   why open() itself does not enforce the limit: a file adopted as rotated must be opened now
//   or never (only the read round's open_within_limit() does);
// - open_count() is the number of files opened through here and not closed since.
// The trade-off: a closed file is looked at again only by the scan (scan_interval), and a file
// renamed away while closed cannot be followed.
#pragma once

#include "file_set.hpp" // and through it TailedFile
#include "watcher.hpp"

#include <cstddef>

namespace mafio_filereader {

class DescriptorBudget {
public:
    DescriptorBudget(ReaderEnv &env, Watcher &watcher, FileSet &files)
        : env_(env), watcher_(watcher), files_(files) {}

    // Opens `f` (identity checked, see TailedFile::open) and watches it. False when it cannot
    // be opened now; a file found gone is marked dead and a scan is requested.
    bool open(TailedFile &f);
    // The same, after closing the longest idle file if the budget is spent. False when no
    // file can give its descriptor up.
    bool open_within_limit(TailedFile &f);
    // Closes `f` if open; it continues at the end of its last complete line when reopened.
    void close(TailedFile &f);

    size_t open_count() const { return open_count_; }
    // A file turned out renamed or deleted when it was reopened: the scan should look soon
    // for whatever is at its path now. Cleared by the scan (clear_scan_request).
    bool scan_requested() const { return scan_requested_; }
    void clear_scan_request() { scan_requested_ = false; }

private:
    bool make_room(const TailedFile *for_file);
    void report_open_failure(TailedFile &f);

    ReaderEnv &env_;
    Watcher &watcher_;
    FileSet &files_;
    size_t open_count_ = 0;
    bool scan_requested_ = false;
};

} // namespace mafio_filereader
