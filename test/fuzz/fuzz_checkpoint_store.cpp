// Fuzzes the host's checkpoint file decoder (mafio::decode_checkpoints). The first byte picks
// whether the rest is decoded as is or with a correct CRC-32 appended, so the fuzzer gets past
// the checksum and exercises the record walk. Whatever decodes must re-encode and decode to the
// same map.
#include "pipeline/checkpoint_store.hpp"

#include <array>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace {
uint32_t crc32(const std::string &data) {
    static const auto table = [] {
        std::array<uint32_t, 256> t{};
        for (uint32_t i = 0; i < 256; ++i) {
            uint32_t c = i;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    uint32_t c = 0xFFFFFFFFu;
    for (unsigned char b : data)
        c = table[(c ^ b) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) return 0;
    std::string bytes(reinterpret_cast<const char *>(data + 1), size - 1);
    if (data[0] & 1) {
        const uint32_t c = crc32(bytes);
        for (int i = 0; i < 4; ++i)
            bytes.push_back(static_cast<char>((c >> (8 * i)) & 0xFF));
    }
    // Exactly sized heap copy so that ASan sees any read past the end.
    mafio::CheckpointMap out;
    if (!mafio::decode_checkpoints(bytes, out)) return 0;
    const std::string again = mafio::encode_checkpoints(out);
    if (again.size() > bytes.size()) std::abort();
    mafio::CheckpointMap round;
    if (!mafio::decode_checkpoints(again, round) || round != out) std::abort();
    return 0;
}
