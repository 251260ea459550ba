#include "pipeline/checkpoint_store.hpp"

#include <catch2/catch.hpp>

#include "temp_dir.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace mafio;
namespace fs = std::filesystem;

using mafio::test::TempDir;

namespace {
CheckpointMap sample() {
    return {{0, {1, 2, 3}}, {42, {}}, {7, std::vector<uint8_t>(1000, 0xAB)}};
}
} // namespace

TEST_CASE("checkpoint codec round-trips and rejects every corruption") {
    std::string enc = encode_checkpoints(sample());
    CheckpointMap out;
    REQUIRE(decode_checkpoints(enc, out));
    CHECK(out == sample());
    for (size_t i = 0; i < enc.size(); i += 7) {
        std::string bad = enc;
        bad[i] = static_cast<char>(bad[i] ^ 0x5A);
        CheckpointMap ignored;
        INFO("flipped byte " << i);
        CHECK_FALSE(decode_checkpoints(bad, ignored));
    }
    for (size_t len : {size_t(0), size_t(5), enc.size() - 1}) {
        CheckpointMap ignored;
        CHECK_FALSE(decode_checkpoints(enc.substr(0, len), ignored));
    }
}

// Found by test/fuzz/fuzz_checkpoint_store: an entry whose stream and length fields run into the
// CRC made `body - pos` wrap, so any length passed and the decoder copied `length` bytes from
// past the end of the file (here the length is the CRC itself, 0xF527EA18: ~4 GiB).
TEST_CASE("checkpoint codec: an entry that overlaps the CRC is refused, not read past the end") {
    // "MAFIOCP1", count 1, stream 4, then the CRC-32 of those 16 bytes, which is also where the
    // entry's length field would be.
    const std::string bytes("MAFIOCP1\x01\x00\x00\x00\x04\x00\x00\x00\x18\xea\x27\xf5", 20);
    CheckpointMap out{{9, {9}}};
    CHECK_FALSE(decode_checkpoints(bytes, out));
    CHECK(out == CheckpointMap{{9, {9}}});
}

TEST_CASE("checkpoint store: store, load, replace") {
    TempDir d;
    CheckpointStore store(d.path().string(), "input-0-filereader");
    CHECK(store.load().empty());
    std::string err;
    REQUIRE(store.store(sample(), err));
    CHECK(store.load() == sample());
    REQUIRE(store.store({{1, {9}}}, err));
    CHECK(store.load() == CheckpointMap{{1, {9}}});
    CHECK_FALSE(fs::exists(store.path() + ".tmp"));
}

TEST_CASE("checkpoint store: a corrupt file is moved aside, never fatal") {
    TempDir d;
    CheckpointStore store(d.path().string(), "input-0-x");
    std::string err;
    REQUIRE(store.store(sample(), err));
    std::ofstream(store.path(), std::ios::binary | std::ios::trunc) << "garbage";
    CHECK(store.load().empty());
    CHECK(fs::exists(store.path() + ".corrupt"));
    CHECK_FALSE(fs::exists(store.path()));
}

TEST_CASE("checkpoint store: an unwritable data dir is an error naming it") {
    TempDir d;
    std::ofstream(d.path() / "file") << "x"; // a file where the directory should be
    CheckpointStore store((d.path() / "file").string(), "input-0-x");
    std::string err;
    CHECK_FALSE(store.store(sample(), err));
    CHECK(err.find("file/checkpoints") != std::string::npos);
}
