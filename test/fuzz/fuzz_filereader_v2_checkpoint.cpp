// Fuzzes filereader:V2's checkpoint codec (plugins/filereader/V2/checkpoint_codec.hpp).
// Byte 0 bit 0: append a correct check value so decoding gets past it. Bit 1: also build a
// FileCheckpoint from the bytes and check that encode -> decode gives it back.
// Properties: decode never reads out of bounds; what decodes re-encodes to the same bytes.
#include "../../plugins/filereader/V2/checkpoint_codec.hpp"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

using namespace mafio_filereader;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) return 0;
    const uint8_t mode = data[0];
    std::vector<uint8_t> bytes(data + 1, data + size);
    if (mode & 1) detail::put_u32(bytes, detail::check_value(bytes.data(), bytes.size()));

    if (auto c = decode_checkpoint(bytes.data(), bytes.size())) {
        if (encode_checkpoint(*c) != bytes) std::abort();
    }

    if (mode & 2) {
        FileCheckpoint c;
        uint64_t f[4] = {};
        uint32_t fp_len = 0;
        size_t n = std::min(bytes.size(), sizeof f);
        if (n) std::memcpy(f, bytes.data(), n);
        if (bytes.size() >= 36) std::memcpy(&fp_len, bytes.data() + 32, 4);
        c.id.dev = f[0];
        c.id.ino = f[1];
        c.offset = f[2];
        c.id.fp.hash = f[3];
        c.id.fp.len = fp_len;
        if (bytes.size() > 36) {
            c.path.assign(reinterpret_cast<const char *>(bytes.data() + 36), bytes.size() - 36);
            // Paths longer than the limit: repeat them to get past it sometimes.
            if (mode & 4)
                while (c.path.size() <= kMaxPathBytes)
                    c.path += c.path;
        }
        auto decoded = decode_checkpoint(encode_checkpoint(c).data(), encode_checkpoint(c).size());
        const bool representable =
            c.id.fp.len <= kMaxFingerprintBytes && c.offset <= static_cast<uint64_t>(INT64_MAX);
        if (decoded.has_value() != representable) std::abort();
        if (decoded) {
            FileCheckpoint expect = c;
            if (expect.path.size() > kMaxPathBytes)
                expect.path = expect.path.substr(expect.path.size() - kMaxPathBytes);
            if (!(*decoded == expect)) std::abort();
        }
    }
    return 0;
}
