// Matches the checkpoints the host handed back at start() to the files the first scan finds.
//
// A file resumes from a stored checkpoint only when device, inode AND fingerprint match: a
// reused inode (logrotate's create mode) or a file rewritten while the agent was stopped is new
// data, read from its start. A stored file that no pattern matches any more may have been
// rotated while the agent was stopped: if its inode is still in the directory it was in, at
// the same offset, it is read to its end like a file rotated while running.
// Invariants:
// - each stored checkpoint is claimed by at most one file, and keeps its stream id;
// - a shortage of descriptors decides nothing: a checkpoint is never forgotten, and a file never
//   read from its start, because a file could not be opened for lack of descriptors;
// - after the first scan a stored checkpoint was claimed, adopted, forgotten (undecodable ones
//   too), or kept because the patterns no longer name its file.
#pragma once

#include "checkpoint_codec.hpp"
#include "descriptor_budget.hpp"
#include "file_set.hpp"
#include "release_policy.hpp"
#include "scanner.hpp"

#include <map>
#include <optional>
#include <vector>

namespace mafio_filereader {

class Resume {
public:
    Resume(ReaderEnv &env, FileSet &files, DescriptorBudget &descriptors, ReleasePolicy &release)
        : env_(env), files_(files), descriptors_(descriptors), release_(release) {}

    // start(): decodes the stored checkpoints and keeps new stream ids above theirs.
    void load(const mafio_start_args &args);
    // No checkpoint at all was handed back: this is the very first run (read_from applies).
    bool fresh_start() const { return fresh_start_; }

    struct Point {
        uint32_t stream;
        uint64_t offset;
        Fingerprint fp;
    };
    // The stored position of a file the first scan found, taken out of the stored ones; none
    // when no stored checkpoint names this very file. Reads the file's first bytes: when no
    // descriptor is left for that, `shortage` is set to the errno and nothing is decided.
    std::optional<Point> claim(const FoundFile &found, int &shortage);
    // After the first scan: adopts the stored files rotated while stopped, keeps those the
    // patterns no longer name, forgets the rest. Returns 0, or the errno of a shortage of
    // descriptors: the checkpoints that could not be settled are kept for the next call.
    int adopt_or_forget_unclaimed(Clock::time_point now, const Scanner &scanner);

private:
    bool any_stored_for(const FoundFile &found) const;
    uint32_t prefix_bytes_wanted(const FoundFile &found) const;
    // 1 adopted, 0 not (forget it), or -errno for a shortage of descriptors (decide later).
    int adopt_rotated_while_stopped(uint32_t stream, const FileCheckpoint &cp,
                                    const std::string &now_at, Clock::time_point now);

    ReaderEnv &env_;
    FileSet &files_;
    DescriptorBudget &descriptors_;
    ReleasePolicy &release_;
    std::map<uint32_t, FileCheckpoint> stored_; // stream -> checkpoint, until claimed
    std::vector<uint32_t> undecodable_;         // streams of corrupt or foreign checkpoints
    size_t kept_ = 0; // stored checkpoints of files the patterns no longer name
    bool fresh_start_ = true;
};

} // namespace mafio_filereader
