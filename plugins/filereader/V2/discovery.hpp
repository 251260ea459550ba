// Keeps the FileSet in step with the file system: what a scan of the patterns finds (new files,
// files renamed within the patterns, files gone from them) and the files inotify saw renamed
// out of the patterns between two scans.
//
// Where a new file starts: at its stored checkpoint when one names it (first scan only, see
// Resume); with read_from: tail, at the start of its last line when the very first scan of the
// very first run finds it; otherwise at 0, since a file we do not know is new data.
// Invariants:
// - a file is followed under one (device, inode), whatever name it has now;
// - a tail start never begins in the middle of a line, and is checkpointed as soon as the file
//   opens, so a restart before the first line does not go back to the head;
// - once the first scan is done, every stored checkpoint has been settled (Resume);
// - a shortage of descriptors never makes a file look gone, rotated or new: what could not be
//   looked at is looked at again.
#pragma once

#include "descriptor_budget.hpp"
#include "file_set.hpp"
#include "release_policy.hpp"
#include "resume.hpp"
#include "scanner.hpp"
#include "watcher.hpp"

#include <string>
#include <utility>
#include <vector>

namespace mafio_filereader {

class Discovery {
public:
    Discovery(ReaderEnv &env, const Scanner &scanner, Watcher &watcher, FileSet &files,
              DescriptorBudget &descriptors, ReleasePolicy &release, Resume &resume)
        : env_(env), scanner_(scanner), watcher_(watcher), files_(files), descriptors_(descriptors),
          release_(release), resume_(resume) {}

    // One scan of the patterns; the first one also settles the stored checkpoints. An
    // incomplete scan (no descriptor or memory left to look everywhere, see ScanResult) only
    // adds what it found: it takes no file for gone and does not count as the first scan, and
    // it is repeated soon.
    ScanResult scan(Clock::time_point now);
    bool first_scan_done() const { return first_scan_done_; }

    // Renames inotify reported, (from, to) in the order they happened. A file the patterns name
    // that was renamed to a name they do not (app.log -> app.log.1 with path "app.log") and is
    // not followed yet was created and rotated between two scans: it is read from its start to
    // its end like any rotated file. Without this, a writer that rotates faster than scans
    // happen loses whole files. Followed files are left to the scan.
    void follow_renamed_away(const std::vector<std::pair<std::string, std::string>> &moves);

private:
    // 0, or the errno of a shortage of descriptors that kept the file from being looked at
    // (it is tried again at the next scan).
    int track(const FoundFile &found);
    void follow_on(TailedFile &f, const FoundFile &found);
    void follow_created_and_rotated(const std::string &path, Clock::time_point now);

    ReaderEnv &env_;
    const Scanner &scanner_;
    Watcher &watcher_;
    FileSet &files_;
    DescriptorBudget &descriptors_;
    ReleasePolicy &release_;
    Resume &resume_;
    bool first_scan_done_ = false;
};

} // namespace mafio_filereader
