// The SDK's shared checkpoint format "mafio.file-position/1" (mafio/file_position.hpp): bytes
// written by mafio 0.3 decode unchanged, encode/decode round trip, corrupt bytes are refused;
// and filereader:V1's choice of the stored checkpoint to resume from (resume_rule.hpp).
#include "../../plugins/filereader/V1/resume_rule.hpp"

#include <mafio/file_position.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

namespace fp = mafio::file_position;
using mafio_filereader_v1::decide_resume;
using mafio_filereader_v1::prefix_bytes_wanted;
using mafio_filereader_v1::StoredCheckpoint;

namespace {

// What mafio 0.3's filereader:V2 stored for /var/log/app.log (dev 0x803, inode 1234567) at
// offset 4096 with the fingerprint of "first line\n" (produced by 0.3's codec, kept literally).
const std::vector<uint8_t> kBytesFrom03 = {
    0x46, 0x52, 0x01, 0x00, 0x03, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x87, 0xd6, 0x12, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x49, 0x00, 0xa9, 0x08,
    0x56, 0xd4, 0xfc, 0x23, 0x0b, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x2f, 0x76, 0x61, 0x72,
    0x2f, 0x6c, 0x6f, 0x67, 0x2f, 0x61, 0x70, 0x70, 0x2e, 0x6c, 0x6f, 0x67, 0x89, 0x7a, 0x16, 0x73};

fp::Checkpoint checkpoint_of(uint64_t dev, uint64_t ino, const std::string &head, uint64_t offset,
                             const std::string &path = "/var/log/app.log") {
    fp::Checkpoint c;
    c.id.dev = dev;
    c.id.ino = ino;
    c.id.fp = fp::fingerprint_of(head.data(), head.size());
    c.offset = offset;
    c.path = path;
    return c;
}

const uint8_t *bytes(const std::string &s) {
    return reinterpret_cast<const uint8_t *>(s.data());
}

} // namespace

TEST_CASE("file position: the format ids") {
    CHECK(std::string(fp::kFormat) == "mafio.file-position/1");
    CHECK(std::string(fp::kLegacyFilereaderFormat) == "mafio.legacy/filereader");
}

TEST_CASE("file position: bytes stored by 0.3 decode unchanged and re-encode identically") {
    const auto c = fp::decode(kBytesFrom03.data(), kBytesFrom03.size());
    REQUIRE(c);
    CHECK(c->id.dev == 0x803);
    CHECK(c->id.ino == 1234567);
    CHECK(c->offset == 4096);
    CHECK(c->id.fp == fp::fingerprint_of("first line\n", 11));
    CHECK(c->id.fp.hash == 0x23fcd45608a90049ull);
    CHECK(c->path == "/var/log/app.log");
    CHECK(fp::encode(*c) == kBytesFrom03);
    CHECK(fp::encode(checkpoint_of(0x803, 1234567, "first line\n", 4096)) == kBytesFrom03);
}

TEST_CASE("file position: round trip, including extremes") {
    for (const auto &c : {checkpoint_of(0, 0, "", 0, ""),
                          checkpoint_of(UINT64_MAX, UINT64_MAX, std::string(65536, 'x'),
                                        static_cast<uint64_t>(INT64_MAX), std::string(4096, '/')),
                          checkpoint_of(7, 8, "a\n", 2, "relative/path with spaces\n\t")}) {
        const auto b = fp::encode(c);
        CHECK(b.size() == fp::kHeaderBytes + c.path.size() + fp::kTrailerBytes);
        const auto back = fp::decode(b.data(), b.size());
        REQUIRE(back);
        CHECK(*back == c);
    }
}

TEST_CASE("file position: corrupt or foreign bytes are refused") {
    const auto &good = kBytesFrom03;
    CHECK_FALSE(fp::decode(nullptr, 0));
    for (size_t n = 0; n < good.size(); ++n)
        CHECK_FALSE(fp::decode(good.data(), n));
    auto longer = good;
    longer.push_back(0);
    CHECK_FALSE(fp::decode(longer.data(), longer.size()));
    for (size_t i = 0; i < good.size(); ++i)
        for (int bit = 0; bit < 8; ++bit) {
            auto bad = good;
            bad[i] ^= static_cast<uint8_t>(1u << bit);
            CHECK_FALSE(fp::decode(bad.data(), bad.size()));
        }
    // Well-formed (correct check value) but not representable: an offset past off_t, a
    // fingerprint longer than any input takes.
    auto c = checkpoint_of(1, 2, "x", 0);
    c.offset = static_cast<uint64_t>(INT64_MAX) + 1;
    auto b = fp::encode(c);
    CHECK_FALSE(fp::decode(b.data(), b.size()));
    c.offset = 0;
    c.id.fp.len = fp::kMaxFingerprintBytes + 1;
    b = fp::encode(c);
    CHECK_FALSE(fp::decode(b.data(), b.size()));
    // Another plugin's bytes (not "FR" v1).
    const std::string json = R"({"offset":4096,"file":"/var/log/app.log","inode":1234567})";
    CHECK_FALSE(fp::decode(bytes(json), json.size()));
}

TEST_CASE("filereader V1 resume: the checkpoint of this very file wins") {
    const std::string content = "line 1\nline 2\nline 3\n";
    std::vector<StoredCheckpoint> stored;
    stored.push_back({4, checkpoint_of(1, 99, "other\n", 6, "/var/log/other.log")});
    stored.push_back({7, checkpoint_of(1, 10, "line 1\n", 14)});
    const auto d = decide_resume(stored, 1, 10, bytes(content), content.size());
    CHECK(d.resumed);
    CHECK(d.offset == 14);
    CHECK(d.stream == 7); // written back on the stream it came from
    CHECK(d.fingerprint == fp::fingerprint_of(content.data(), content.size())); // extended
    CHECK_FALSE(d.fresh_start);
    CHECK(d.kept == 1); // other.log's is left for V2
    CHECK(d.forget.empty());
}

TEST_CASE("filereader V1 resume: same inode with other content is new data") {
    const std::string now = "REWRITTEN\n";
    std::vector<StoredCheckpoint> stored;
    stored.push_back({0, checkpoint_of(1, 10, "line 1\n", 7)});
    const auto d = decide_resume(stored, 1, 10, bytes(now), now.size());
    CHECK_FALSE(d.resumed);
    CHECK_FALSE(d.fresh_start); // read_from: tail does not apply: the file is new data
    CHECK(d.other_content == 1);
    CHECK(d.forget == std::vector<uint32_t>{0});
    CHECK(d.stream == 1); // never the stream of a stored checkpoint
    // A file now shorter than the fingerprinted prefix is not the same file either.
    const std::string shorter = "lin";
    CHECK_FALSE(decide_resume(stored, 1, 10, bytes(shorter), shorter.size()).resumed);
    // Another inode at the path (rotated while stopped): kept for V2, not used.
    const std::string same_text = "line 1\n";
    const auto moved = decide_resume(stored, 1, 11, bytes(same_text), same_text.size());
    CHECK_FALSE(moved.resumed);
    CHECK(moved.kept == 1);
    CHECK(moved.forget.empty());
}

TEST_CASE("filereader V1 resume: nothing stored, corrupt and duplicate checkpoints") {
    const std::string content = "a\nb\n";
    const auto none = decide_resume({}, 1, 10, bytes(content), content.size());
    CHECK(none.fresh_start);
    CHECK_FALSE(none.resumed);
    CHECK(none.stream == 0);

    std::vector<StoredCheckpoint> stored;
    stored.push_back({9, checkpoint_of(1, 10, "a\n", 4)}); // a second one for the same file
    stored.push_back({3, std::nullopt});                   // did not decode
    stored.push_back({5, checkpoint_of(1, 10, "a\nb\n", 2)});
    const auto d = decide_resume(stored, 1, 10, bytes(content), content.size());
    CHECK(d.resumed);
    CHECK(d.stream == 5); // the first in stream order, as filereader:V2 picks
    CHECK(d.offset == 2);
    auto forget = d.forget;
    std::sort(forget.begin(), forget.end());
    CHECK(forget == std::vector<uint32_t>{3, 9});
}

TEST_CASE("filereader V1 resume: enough prefix for the longest stored fingerprint") {
    std::vector<StoredCheckpoint> stored;
    stored.push_back({0, checkpoint_of(1, 10, std::string(3000, 'x'), 3000)});
    stored.push_back({1, checkpoint_of(1, 11, std::string(9000, 'y'), 9000)});
    CHECK(prefix_bytes_wanted(stored, 1, 10, 1024) == 3000);
    CHECK(prefix_bytes_wanted(stored, 1, 12, 1024) == 1024);
    CHECK(prefix_bytes_wanted(stored, 1, 10, 4096) == 4096);
}
