// The shared checkpoint format "mafio.file-position/1": where an input that reads a file got
// to. filereader:V1 and filereader:V2 both write and read it (declared with ABI 1.2's
// checkpoint_format / checkpoint_formats_read), so an operator can move between their tags
// without re-reading or losing lines; a third-party file input may use it too.
//
// A checkpoint says which file (identity) and how far (offset just past the last complete line
// delivered), plus the path where the file was last seen (for logs, and to look for a file that
// was renamed while the agent was stopped).
//
// Identity is device + inode + a fingerprint of the file's first bytes. Device and inode alone
// are not enough: a deleted file's inode is soon reused by a new file (logrotate's create mode
// does exactly that), and resuming the new file at the old offset would skip its first lines.
// The fingerprint (a 64-bit FNV-1a hash of the first `len` bytes, plus `len`) tells them apart.
// A file shorter than the wanted fingerprint length is identified by its shorter prefix, and the
// fingerprint is extended as the file grows: appends never change a prefix, so "the first len
// bytes still hash the same" is the test for "same content, same file". The rule for resuming:
// a stored checkpoint applies to the file now at a path when device and inode are equal and the
// file's first fp.len bytes hash to fp.hash (check_and_extend_fd below); otherwise the file is
// new data.
//
// Bytes, version 1, all integers little-endian (a fixed layout so a checkpoint written on one
// machine decodes anywhere, and a decoder can reject anything that is not exactly this). This is
// byte for byte what mafio 0.3's filereader:V2 stored (the format "mafio.legacy/filereader"), so
// those checkpoints decode unchanged:
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
// decode() returns nullopt for a wrong size, magic, version, reserved byte, path length or check
// value: a corrupt or foreign checkpoint makes the file be treated as unknown, it never crashes
// or misreads.
//
// Header-only, C++17, POSIX (pread); needs nothing else of the SDK.
#pragma once

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

namespace mafio {
namespace file_position {

// The format id to declare as checkpoint_format / in checkpoint_formats_read.
inline constexpr const char *kFormat = "mafio.file-position/1";
// What the host calls the checkpoints mafio 0.3's filereader stored: the same bytes.
inline constexpr const char *kLegacyFilereaderFormat = "mafio.legacy/filereader";

// ---- Fingerprint ---------------------------------------------------------------------------

inline constexpr uint64_t kFnvOffsetBasis = 14695981039346656037ull;
inline constexpr uint64_t kFnvPrime = 1099511628211ull;

// FNV-1a, 64 bits: simple, incremental (hash(a+b) continues from hash(a)), good enough to tell
// log files apart (this is not a defence against an adversary crafting collisions).
inline uint64_t fnv1a64(const void *data, size_t len, uint64_t h = kFnvOffsetBasis) {
    const auto *p = static_cast<const uint8_t *>(data);
    for (size_t i = 0; i < len; ++i) {
        h ^= p[i];
        h *= kFnvPrime;
    }
    return h;
}

struct Fingerprint {
    uint64_t hash = kFnvOffsetBasis; // of the first `len` bytes (the basis when len == 0)
    uint32_t len = 0;
    bool operator==(const Fingerprint &o) const { return hash == o.hash && len == o.len; }
    bool operator!=(const Fingerprint &o) const { return !(*this == o); }
};

inline Fingerprint fingerprint_of(const void *data, size_t len) {
    return Fingerprint{fnv1a64(data, len), static_cast<uint32_t>(len)};
}

// Reads exactly min(size, want) bytes from the start of `fd` with pread (the file position is
// not touched). Returns false on a read error; `out` is then unspecified. A file that shrinks
// while being read yields fewer bytes: the caller compares lengths.
inline bool read_prefix(int fd, uint32_t want, std::vector<uint8_t> &out) {
    out.resize(want);
    size_t got = 0;
    while (got < want) {
        ssize_t n = ::pread(fd, out.data() + got, want - got, static_cast<off_t>(got));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return false;
        if (n == 0) break;
        got += static_cast<size_t>(n);
    }
    out.resize(got);
    return true;
}

enum class PrefixCheck {
    same,      // the first known.len bytes are unchanged (the fingerprint may have grown)
    different, // the content at the start changed or the file got shorter than known.len
    error      // could not read
};

// Checks that `prefix` (the file's first bytes, as many as are available up to the wanted
// length) starts with the bytes `known` describes, and if so extends `known` over all of
// `prefix`. Pure: the unit tests drive it with buffers.
inline PrefixCheck check_and_extend(Fingerprint &known, const uint8_t *prefix, size_t prefix_len) {
    if (prefix_len < known.len) return PrefixCheck::different;
    const uint64_t head = fnv1a64(prefix, known.len);
    if (head != known.hash) return PrefixCheck::different;
    if (prefix_len > known.len) {
        known.hash = fnv1a64(prefix + known.len, prefix_len - known.len, head);
        known.len = static_cast<uint32_t>(prefix_len);
    }
    return PrefixCheck::same;
}

// The same against an open file: reads up to `want` bytes from its start (at least known.len,
// for a fingerprint taken with a larger fingerprint length). `scratch` is reused between calls
// to avoid an allocation per check.
inline PrefixCheck check_and_extend_fd(Fingerprint &known, int fd, uint32_t want,
                                       std::vector<uint8_t> &scratch) {
    if (want < known.len) want = known.len;
    if (!read_prefix(fd, want, scratch)) return PrefixCheck::error;
    return check_and_extend(known, scratch.data(), scratch.size());
}

// Device + inode + fingerprint. Two files are the same when device and inode are equal and
// the one with the longer fingerprint starts with the other's prefix (checked by reading).
struct FileIdentity {
    uint64_t dev = 0;
    uint64_t ino = 0;
    Fingerprint fp;
    bool same_inode(uint64_t d, uint64_t i) const { return dev == d && ino == i; }
};

// ---- Checkpoint bytes ----------------------------------------------------------------------

struct Checkpoint {
    FileIdentity id;
    uint64_t offset = 0;
    std::string path;
    bool operator==(const Checkpoint &o) const {
        return id.dev == o.id.dev && id.ino == o.id.ino && id.fp == o.id.fp && offset == o.offset &&
               path == o.path;
    }
    bool operator!=(const Checkpoint &o) const { return !(*this == o); }
};

inline constexpr uint8_t kVersion = 1;
inline constexpr size_t kHeaderBytes = 44;
inline constexpr size_t kTrailerBytes = 4;
inline constexpr size_t kMaxPathBytes = 4096;
// A fingerprint longer than this is garbage (inputs limit their fingerprint length far below).
inline constexpr uint32_t kMaxFingerprintBytes = 1u << 20;

namespace detail {
inline void put_u64(std::vector<uint8_t> &out, uint64_t v) {
    for (int i = 0; i < 8; ++i)
        out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
inline void put_u32(std::vector<uint8_t> &out, uint32_t v) {
    for (int i = 0; i < 4; ++i)
        out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
inline uint64_t get_u64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i)
        v = (v << 8) | p[i];
    return v;
}
inline uint32_t get_u32(const uint8_t *p) {
    uint32_t v = 0;
    for (int i = 3; i >= 0; --i)
        v = (v << 8) | p[i];
    return v;
}
inline uint32_t check_value(const uint8_t *p, size_t n) {
    const uint64_t h = fnv1a64(p, n);
    return static_cast<uint32_t>(h ^ (h >> 32));
}
} // namespace detail

// A path longer than kMaxPathBytes is stored cut to its last kMaxPathBytes bytes (it is only
// informative; identity is device, inode and fingerprint).
inline std::vector<uint8_t> encode(const Checkpoint &c) {
    std::string_view path = c.path;
    if (path.size() > kMaxPathBytes) path = path.substr(path.size() - kMaxPathBytes);
    std::vector<uint8_t> out;
    out.reserve(kHeaderBytes + path.size() + kTrailerBytes);
    out.push_back('F');
    out.push_back('R');
    out.push_back(kVersion);
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

inline std::optional<Checkpoint> decode(const uint8_t *p, size_t n) {
    if (!p || n < kHeaderBytes + kTrailerBytes) return std::nullopt;
    if (p[0] != 'F' || p[1] != 'R' || p[2] != kVersion || p[3] != 0) return std::nullopt;
    const uint32_t path_len = detail::get_u32(p + 40);
    if (path_len > kMaxPathBytes) return std::nullopt;
    if (n != kHeaderBytes + path_len + kTrailerBytes) return std::nullopt;
    const size_t body = kHeaderBytes + path_len;
    if (detail::get_u32(p + body) != detail::check_value(p, body)) return std::nullopt;
    Checkpoint c;
    c.id.dev = detail::get_u64(p + 4);
    c.id.ino = detail::get_u64(p + 12);
    c.offset = detail::get_u64(p + 20);
    c.id.fp.hash = detail::get_u64(p + 28);
    c.id.fp.len = detail::get_u32(p + 36);
    if (c.id.fp.len > kMaxFingerprintBytes) return std::nullopt;
    if (c.offset > static_cast<uint64_t>(INT64_MAX)) return std::nullopt; // not an off_t
    c.path.assign(reinterpret_cast<const char *>(p + kHeaderBytes), path_len);
    return c;
}

} // namespace file_position
} // namespace mafio
