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
    // `key` names the input stably across runs: its component id. `format` is the checkpoint
    // format (plugin.h) every store() records beside the bytes.
    CheckpointStore(std::string data_dir, std::string key, std::string format = {});

    const std::string &path() const { return path_; }
    // The format later stores record (a swap changes the plugin writing them). Call only while
    // no store() runs (swap_input holds the graph exclusively... and the checkpoint thread
    // calls store() through Pipeline::store_checkpoints, which takes the same lock).
    void set_format(std::string format) { format_ = std::move(format); }

    // The stored checkpoints; empty when there are none or the file was set aside. `format`
    // gets the format they were stored with ("" for a 0.3 file, which recorded none).
    CheckpointMap load(std::string *format = nullptr) const;

    // Replaces the stored checkpoints. Returns false and sets `error` on failure.
    bool store(const CheckpointMap &checkpoints, std::string &error) const;

private:
    std::string dir_;
    std::string path_;
    std::string format_;
};

// Pure encoding, exposed for tests. Writes version 2 ("MAFIOCP2", with the format); decode
// reads versions 1 (0.3, no format: `format` becomes "") and 2, and returns false for
// anything malformed.
std::string encode_checkpoints(const CheckpointMap &checkpoints, const std::string &format = {});
bool decode_checkpoints(const std::string &bytes, CheckpointMap &out,
                        std::string *format = nullptr);

} // namespace mafio
