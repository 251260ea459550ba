// The files filereader:V2 follows, keyed by (device, inode), and their stream ids.
//
// Invariants:
// - at most one TailedFile per (device, inode): a file reached by several paths, or seen again
//   under a new name, is read once;
// - stream ids are never reused within a run and start above every id stored in a checkpoint,
//   so a new file can never inherit another file's stored position;
// - a file leaves the set only through drop_dead(), which forgets its stream (an empty batch
//   with an empty checkpoint) after the file's own batches, so the host stores no position
//   for a file that is no longer followed.
#pragma once

#include "tailed_file.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <utility>
#include <vector>

namespace mafio_filereader {

class DescriptorBudget;

using FileKey = std::pair<uint64_t, uint64_t>; // (st_dev, st_ino)

class FileSet {
public:
    explicit FileSet(mafio::Host host) : host_(host) {}

    // A stream id no stored checkpoint and no followed file has.
    uint32_t new_stream() { return next_stream_++; }
    // Keeps new_stream() above `stream` (an id found in a stored checkpoint).
    void reserve_stream(uint32_t stream);
    // The host drops the stream's stored checkpoint (an empty batch with an empty checkpoint).
    void forget_stream(uint32_t stream);

    // Starts following `f` under its (device, inode). The caller checked contains() first.
    void add(std::unique_ptr<TailedFile> f);
    bool contains(const FileKey &key) const { return files_.count(key) > 0; }
    TailedFile *find(const FileKey &key);
    size_t size() const { return files_.size(); }

    // Calls fn(TailedFile &) for every followed file, in key order.
    template <class Fn> void for_each(Fn &&fn) {
        for (auto &[key, f] : files_)
            fn(*f);
    }
    // Every followed file, starting one further each call (round-robin fairness).
    std::vector<TailedFile *> round_robin_order();

    // Closes and drops the files marked dead and forgets their streams.
    void drop_dead(DescriptorBudget &descriptors);
    // The input ends: each file's unterminated last line, if any, is emitted.
    void finish_all();
    // stop(): closes every descriptor and follows nothing any more.
    void close_all();

private:
    mafio::Host host_;
    std::map<FileKey, std::unique_ptr<TailedFile>> files_;
    uint32_t next_stream_ = 1;
    size_t next_first_ = 0; // where the next round_robin_order() starts
};

} // namespace mafio_filereader
