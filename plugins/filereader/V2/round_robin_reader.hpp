// One round of reading over the followed files: each file with new data gives one batch (at
// most one LineReader chunk, 256 KiB), starting one file further each round, so a busy file
// cannot starve the others. Files without a descriptor are opened when the DescriptorBudget
// has (or can free) a slot.
// Invariants:
// - at most one batch per file per round, emitted in the file's own order, so per-file order
//   is kept;
// - at_eof / eof_since / last_data say what the file's last read found (the release policy
//   and the descriptor budget decide from them).
#pragma once

#include "descriptor_budget.hpp" // and through it FileSet, TailedFile

namespace mafio_filereader {

class RoundRobinReader {
public:
    RoundRobinReader(ReaderEnv &env, FileSet &files, DescriptorBudget &descriptors)
        : env_(env), files_(files), descriptors_(descriptors) {}

    // One round; true when some file gave a batch.
    bool read_round(Clock::time_point now);

private:
    bool ready_to_read(TailedFile &f);
    bool read_one_batch(TailedFile &f, Clock::time_point now);

    ReaderEnv &env_;
    FileSet &files_;
    DescriptorBudget &descriptors_;
    // False once, in this round, the budget was spent and no open file could be closed.
    bool room_may_exist_ = true;
};

} // namespace mafio_filereader
