// Which stored checkpoint filereader:V1 resumes from: the rule of filereader:V2 (resume.cpp)
// for its one file. A checkpoint applies only when device, inode AND fingerprint match the file
// now at `path`: a reused inode or a file rewritten while the agent was stopped is new data,
// read from its start (or from its end with read_from: tail, only when nothing at all was
// stored: the very first run).
//
// Checkpoints of other files (V2 may have followed rotated ones) are kept untouched for a later
// V2 run; checkpoints that can never apply again (corrupt, or this inode with other content, or
// a second one for this same file) are forgotten.
//
// Pure (no plugin SDK beyond the shared format) so that the unit tests drive it with buffers.
#pragma once

#include <mafio/file_position.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <vector>

namespace mafio_filereader_v1 {

namespace fp = mafio::file_position;

struct StoredCheckpoint {
    uint32_t stream;
    std::optional<fp::Checkpoint> cp; // nullopt: the bytes did not decode
};

struct ResumeDecision {
    bool resumed = false;
    uint64_t offset = 0;         // where reading continues when resumed
    fp::Fingerprint fingerprint; // when resumed: the stored one, extended over the prefix
    uint32_t stream = 0;         // the stream to write: the resumed checkpoint's, or a free one
    bool fresh_start = true;     // nothing was stored at all: read_from applies
    std::vector<uint32_t> forget;
    size_t kept = 0;          // checkpoints of other files, left as they are
    size_t other_content = 0; // of this inode, but its first bytes differ
};

// How many of the file's first bytes the decision needs: enough for the longest stored
// fingerprint of this inode, and at least fingerprint_bytes.
inline uint32_t prefix_bytes_wanted(const std::vector<StoredCheckpoint> &stored, uint64_t dev,
                                    uint64_t ino, uint32_t fingerprint_bytes) {
    uint32_t want = fingerprint_bytes;
    for (const auto &s : stored)
        if (s.cp && s.cp->id.same_inode(dev, ino)) want = std::max(want, s.cp->id.fp.len);
    return want;
}

// `prefix` is the file's first bytes (up to prefix_bytes_wanted). The first matching checkpoint
// in stream order wins, as in V2.
inline ResumeDecision decide_resume(const std::vector<StoredCheckpoint> &stored, uint64_t dev,
                                    uint64_t ino, const uint8_t *prefix, size_t prefix_len) {
    ResumeDecision d;
    d.fresh_start = stored.empty();
    std::vector<const StoredCheckpoint *> order;
    for (const auto &s : stored)
        order.push_back(&s);
    std::sort(order.begin(), order.end(), [](const StoredCheckpoint *a, const StoredCheckpoint *b) {
        return a->stream < b->stream;
    });
    std::set<uint32_t> used;
    for (const StoredCheckpoint *s : order) {
        used.insert(s->stream);
        if (!s->cp) {
            d.forget.push_back(s->stream);
            continue;
        }
        if (!s->cp->id.same_inode(dev, ino)) {
            ++d.kept;
            continue;
        }
        fp::Fingerprint known = s->cp->id.fp;
        if (d.resumed) {
            d.forget.push_back(s->stream); // a second checkpoint of this file
        } else if (fp::check_and_extend(known, prefix, prefix_len) == fp::PrefixCheck::same) {
            d.resumed = true;
            d.offset = s->cp->offset;
            d.fingerprint = known;
            d.stream = s->stream;
        } else {
            ++d.other_content;
            d.forget.push_back(s->stream);
        }
    }
    if (!d.resumed) {
        // The smallest stream no stored checkpoint uses: a kept one must not be overwritten.
        while (used.count(d.stream))
            ++d.stream;
    }
    return d;
}

} // namespace mafio_filereader_v1
