// Rewrites a filter's batch in place: each record either keeps its bytes, is replaced by new
// bytes, or is dropped, keeping the order of those that stay. The new bytes are collected in
// one reused buffer and appended to the arena with a single batch_reserve at the end, so no
// record view is ever read from an arena that has moved, and there is no allocation per record.
// Each new record is followed by '\n' in the arena (not part of the record) so that line
// writers (stdout:V1, logr:V1) send back-to-back records with one iovec.
#pragma once

#include <mafio/plugin.hpp>

#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

namespace mafio_plugins {

class RecordRewriter {
public:
    // Starts a batch: the buffer and the per-record marks are emptied (their capacity stays).
    void begin() {
        bytes_.clear();
        replaced_.clear();
        kept_ = 0;
    }
    // Where the current record's new bytes go: append to it, then call replace() or keep().
    std::string &buffer() { return bytes_; }

    // Record i keeps its own bytes (and its ts_ns unless given).
    void keep(mafio_batch *b, uint32_t i) { place(b, i, false, 0, 0, b->records[i].ts_ns); }
    // Record i becomes buffer()[from, end): replaced, with ts_ns.
    bool replace(mafio_batch *b, uint32_t i, size_t from, int64_t ts_ns) {
        const size_t len = bytes_.size() - from;
        if (len > std::numeric_limits<uint32_t>::max()) {
            bytes_.resize(from);
            return false; // cannot be one record
        }
        bytes_ += '\n';
        place(b, i, true, from, static_cast<uint32_t>(len), ts_ns);
        return true;
    }
    // Record i is dropped: nothing to do but not keep it.

    // Appends the new bytes to the arena and points the replaced records at them.
    void finish(const mafio::Host &host, mafio_batch *b) {
        b->count = kept_;
        if (bytes_.empty()) return;
        host.reserve(b, bytes_.size(), 0); // may move the arena: nothing is read from it after
        const uint64_t base = b->arena_size;
        std::memcpy(b->arena + base, bytes_.data(), bytes_.size());
        b->arena_size += bytes_.size();
        for (uint32_t k = 0; k < kept_; ++k)
            if (replaced_[k]) b->records[k].offset += base;
    }

private:
    void place(mafio_batch *b, uint32_t i, bool replaced, size_t from, uint32_t len,
               int64_t ts_ns) {
        mafio_record r = b->records[i]; // kept_ <= i: compaction never overwrites unread ones
        if (replaced) {
            r.offset = from; // relative to the buffer until finish()
            r.len = len;
        }
        r.ts_ns = ts_ns;
        b->records[kept_++] = r;
        replaced_.push_back(replaced);
    }

    std::string bytes_;
    std::vector<uint8_t> replaced_;
    uint32_t kept_ = 0;
};

} // namespace mafio_plugins
