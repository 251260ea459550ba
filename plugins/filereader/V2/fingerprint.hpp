// File identity for filereader:V2: device + inode + a fingerprint of the file's first bytes.
//
// Device and inode alone are not enough: a deleted file's inode is soon reused by a new file
// (logrotate's create mode does exactly that), and resuming the new file at the old offset would
// skip its first lines. The fingerprint (a 64-bit FNV-1a hash of the first `len` bytes, plus
// `len`) tells them apart. A file shorter than fingerprint_bytes is identified by its shorter
// prefix, and the fingerprint is extended as the file grows: appends never change a prefix, so
// "the first len bytes still hash the same" is the test for "same content, same file".
//
// Pure header (POSIX only, no plugin SDK) so that the unit tests can include it.
#pragma once

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <unistd.h>
#include <vector>

namespace mafio_filereader {

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
    bool operator==(const Fingerprint &) const = default;
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

// Checks that `prefix` (the file's first bytes, as many as are available up to `want`) starts
// with the bytes `known` describes, and if so extends `known` over all of `prefix`. Pure: the
// unit tests drive it with buffers.
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

// The same against an open file: reads up to `want` bytes from its start. `scratch` is reused
// between calls to avoid an allocation per check.
inline PrefixCheck check_and_extend_fd(Fingerprint &known, int fd, uint32_t want,
                                       std::vector<uint8_t> &scratch) {
    if (want < known.len) want = known.len; // fingerprint_bytes lowered since the checkpoint
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

} // namespace mafio_filereader
