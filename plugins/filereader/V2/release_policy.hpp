// What happens to a followed file that the patterns no longer reach: renamed away (rotated),
// deleted, or lost while it had no descriptor; and when a rotated or deleted file is released.
//
// A rotated file is read to its end for rotate_wait after the rename was noticed (the writer
// may still append to it); a deleted file is released close_timeout after reading last hit its
// end. Invariants:
// - a file is released only at its end, and only after one last read found nothing new, so a
//   line appended just before the release is not lost to it;
// - releasing emits the unterminated last line, if any (it can never be completed now), but
//   the checkpoint stays before it;
// - a released file is dropped from the FileSet at once, which forgets its stream.
#pragma once

#include "descriptor_budget.hpp" // and through it FileSet, TailedFile

namespace mafio_filereader {

class ReleasePolicy {
public:
    ReleasePolicy(ReaderEnv &env, FileSet &files, DescriptorBudget &descriptors)
        : env_(env), files_(files), descriptors_(descriptors) {}

    // An active file the last scan did not find: decides whether it was deleted, rotated, or
    // lost while waiting for a descriptor (then it is marked dead).
    void left_patterns(TailedFile &f, Clock::time_point now);
    // `f` is followed as a rotated file from `now` on (the caller has logged why).
    void follow_as_rotated(TailedFile &f, Clock::time_point now);
    // Releases the rotated and deleted files that are at their end and due.
    void release_due(Clock::time_point now);

private:
    bool due(const TailedFile &f, Clock::time_point now) const;
    void release(TailedFile &f);

    ReaderEnv &env_;
    FileSet &files_;
    DescriptorBudget &descriptors_;
};

} // namespace mafio_filereader
