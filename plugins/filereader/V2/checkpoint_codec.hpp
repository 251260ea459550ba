// The checkpoint bytes filereader:V2 attaches to each batch: the shared format
// "mafio.file-position/1" of the SDK (mafio/file_position.hpp, where the layout is described),
// which is byte for byte what mafio 0.3's filereader:V2 stored. This header gives the codec its
// V2 names.
#pragma once

#include "fingerprint.hpp"

#include <mafio/file_position.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace mafio_filereader {

using FileCheckpoint = mafio::file_position::Checkpoint;
namespace detail = mafio::file_position::detail;

inline constexpr uint8_t kCheckpointVersion = mafio::file_position::kVersion;
inline constexpr size_t kCheckpointHeaderBytes = mafio::file_position::kHeaderBytes;
inline constexpr size_t kCheckpointTrailerBytes = mafio::file_position::kTrailerBytes;
inline constexpr size_t kMaxPathBytes = mafio::file_position::kMaxPathBytes;
inline constexpr uint32_t kMaxFingerprintBytes = mafio::file_position::kMaxFingerprintBytes;

inline std::vector<uint8_t> encode_checkpoint(const FileCheckpoint &c) {
    return mafio::file_position::encode(c);
}

inline std::optional<FileCheckpoint> decode_checkpoint(const uint8_t *p, size_t n) {
    return mafio::file_position::decode(p, n);
}

} // namespace mafio_filereader
