// The checkpoint bytes filereader:V2 attaches to each batch: which file (identity) and how far
// (offset just past the last complete line in the batch), plus the path where the file was
// last seen (for logs, and to look for a file that was renamed while the agent was stopped).
//
// Format, version 1, all integers little-endian (fixed layout so a checkpoint written on one
// machine decodes anywhere, and a decoder can reject anything that is not exactly this):
//
//   offset size  field
//        0    2  magic "FR"
//        2    1  version (1)
//        3    1  reserved, 0
//        4    8  st_dev
//       12    8  st_ino
//       20    8  offset (bytes of complete lines consumed)
//       28    8  fingerprint hash (FNV-1a 64 of the first fp_len bytes)
//       36    4  fingerprint length fp_len
//       40    4  path length P (at most kMaxPathBytes)
//       44    P  path bytes (not NUL-terminated)
//     44+P    4  check: FNV-1a 64 of bytes [0, 44+P) folded to 32 bits
//
// The decoder returns nullopt for a wrong size, magic, version, reserved byte, path length or
// check value: a corrupt or foreign checkpoint makes the file be treated as unknown, it never
// crashes or misreads.
//
// Pure header (no plugin SDK) so that the unit tests can include it.
#pragma once

#include "fingerprint.hpp"

#include <cstdint>
#include <optional>
#include <string_view>
#include <string>
#include <vector>

namespace mafio_filereader {

struct FileCheckpoint {
    FileIdentity id;
    uint64_t offset = 0;
    std::string path;
    bool operator==(const FileCheckpoint &o) const {
        return id.dev == o.id.dev && id.ino == o.id.ino && id.fp == o.id.fp &&
               offset == o.offset && path == o.path;
    }
};

inline constexpr uint8_t kCheckpointVersion = 1;
inline constexpr size_t kCheckpointHeaderBytes = 44;
inline constexpr size_t kCheckpointTrailerBytes = 4;
inline constexpr size_t kMaxPathBytes = 4096;
// Fingerprints longer than this are refused by the options too; a larger value is garbage.
inline constexpr uint32_t kMaxFingerprintBytes = 1u << 20;

namespace detail {
inline void put_u64(std::vector<uint8_t> &out, uint64_t v) {
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
inline void put_u32(std::vector<uint8_t> &out, uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
inline uint64_t get_u64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}
inline uint32_t get_u32(const uint8_t *p) {
    uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}
inline uint32_t check_value(const uint8_t *p, size_t n) {
    const uint64_t h = fnv1a64(p, n);
    return static_cast<uint32_t>(h ^ (h >> 32));
}
} // namespace detail

// A path longer than kMaxPathBytes is stored cut to its last kMaxPathBytes bytes (it is only
// informative; identity is device, inode and fingerprint).
inline std::vector<uint8_t> encode_checkpoint(const FileCheckpoint &c) {
    std::string_view path = c.path;
    if (path.size() > kMaxPathBytes) path = path.substr(path.size() - kMaxPathBytes);
    std::vector<uint8_t> out;
    out.reserve(kCheckpointHeaderBytes + path.size() + kCheckpointTrailerBytes);
    out.push_back('F');
    out.push_back('R');
    out.push_back(kCheckpointVersion);
    out.push_back(0);
    detail::put_u64(out, c.id.dev);
    detail::put_u64(out, c.id.ino);
    detail::put_u64(out, c.offset);
    detail::put_u64(out, c.id.fp.hash);
    detail::put_u32(out, c.id.fp.len);
    detail::put_u32(out, static_cast<uint32_t>(path.size()));
    out.insert(out.end(), path.begin(), path.end());
    detail::put_u32(out, detail::check_value(out.data(), out.size()));
    return out;
}

inline std::optional<FileCheckpoint> decode_checkpoint(const uint8_t *p, size_t n) {
    if (!p || n < kCheckpointHeaderBytes + kCheckpointTrailerBytes) return std::nullopt;
    if (p[0] != 'F' || p[1] != 'R' || p[2] != kCheckpointVersion || p[3] != 0) return std::nullopt;
    const uint32_t path_len = detail::get_u32(p + 40);
    if (path_len > kMaxPathBytes) return std::nullopt;
    if (n != kCheckpointHeaderBytes + path_len + kCheckpointTrailerBytes) return std::nullopt;
    const size_t body = kCheckpointHeaderBytes + path_len;
    if (detail::get_u32(p + body) != detail::check_value(p, body)) return std::nullopt;
    FileCheckpoint c;
    c.id.dev = detail::get_u64(p + 4);
    c.id.ino = detail::get_u64(p + 12);
    c.offset = detail::get_u64(p + 20);
    c.id.fp.hash = detail::get_u64(p + 28);
    c.id.fp.len = detail::get_u32(p + 36);
    if (c.id.fp.len > kMaxFingerprintBytes) return std::nullopt;
    if (c.offset > static_cast<uint64_t>(INT64_MAX)) return std::nullopt; // not an off_t
    c.path.assign(reinterpret_cast<const char *>(p + kCheckpointHeaderBytes), path_len);
    return c;
}

} // namespace mafio_filereader
