// Durable storage of one input's committed checkpoints: one small file per input under
// <data_dir>/checkpoints/, replaced atomically (write temp, fsync, rename, fsync directory) so
// a crash leaves either the old or the new file, never a torn one. A file that is unreadable or
// fails its checksum is moved aside with a warning and the input starts as configured.
#pragma once

#include "pipeline/ack_tracker.hpp"

#include <string>

namespace mafio {

class CheckpointStore {
public:
    // `key` names the input stably across runs, e.g. "inputs-0-filereader".
    CheckpointStore(std::string data_dir, std::string key);

    const std::string &path() const { return path_; }

    // The stored checkpoints; empty when there are none or the file was set aside.
    CheckpointMap load() const;

    // Replaces the stored checkpoints. Returns false and sets `error` on failure.
    bool store(const CheckpointMap &checkpoints, std::string &error) const;

private:
    std::string dir_;
    std::string path_;
};

// Pure encoding, exposed for tests. decode returns false for anything malformed.
std::string encode_checkpoints(const CheckpointMap &checkpoints);
bool decode_checkpoints(const std::string &bytes, CheckpointMap &out);

} // namespace mafio
