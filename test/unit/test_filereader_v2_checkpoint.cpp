// filereader:V2's pure pieces: the checkpoint codec (round trip, and garbage refused without
// crashing) and the fingerprint prefix check that tells a grown file from a rewritten one.
#include "../../plugins/filereader/V2/checkpoint_codec.hpp"
#include "../../plugins/filereader/V2/fingerprint.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

using namespace mafio_filereader;

namespace {
FileCheckpoint sample() {
    FileCheckpoint c;
    c.id.dev = 0x0102030405060708ull;
    c.id.ino = 987654321;
    c.id.fp = fingerprint_of("hello\nworld\n", 12);
    c.offset = 6;
    c.path = "/var/log/app.log";
    return c;
}
} // namespace

TEST_CASE("filereader V2 checkpoint: round trip") {
    const FileCheckpoint c = sample();
    const auto bytes = encode_checkpoint(c);
    REQUIRE(bytes.size() == kCheckpointHeaderBytes + c.path.size() + kCheckpointTrailerBytes);
    const auto back = decode_checkpoint(bytes.data(), bytes.size());
    REQUIRE(back);
    CHECK(*back == c);

    FileCheckpoint empty; // empty path, empty fingerprint, offset 0
    const auto e = encode_checkpoint(empty);
    const auto eb = decode_checkpoint(e.data(), e.size());
    REQUIRE(eb);
    CHECK(*eb == empty);
}

TEST_CASE("filereader V2 checkpoint: little-endian fixed layout") {
    const auto bytes = encode_checkpoint(sample());
    CHECK(bytes[0] == 'F');
    CHECK(bytes[1] == 'R');
    CHECK(bytes[2] == 1);
    CHECK(bytes[4] == 0x08); // st_dev, least significant byte first
    CHECK(bytes[11] == 0x01);
    CHECK(bytes[20] == 6); // offset
}

TEST_CASE("filereader V2 checkpoint: a long path keeps its end") {
    FileCheckpoint c = sample();
    c.path = std::string(5000, 'a') + "/tail.log";
    const auto bytes = encode_checkpoint(c);
    const auto back = decode_checkpoint(bytes.data(), bytes.size());
    REQUIRE(back);
    CHECK(back->path.size() == kMaxPathBytes);
    CHECK(back->path.substr(back->path.size() - 9) == "/tail.log");
}

TEST_CASE("filereader V2 checkpoint: garbage is refused") {
    const auto good = encode_checkpoint(sample());
    CHECK_FALSE(decode_checkpoint(nullptr, 0));
    CHECK_FALSE(decode_checkpoint(good.data(), 0));
    // Every shorter prefix and a longer buffer.
    for (size_t n = 0; n < good.size(); ++n)
        CHECK_FALSE(decode_checkpoint(good.data(), n));
    auto longer = good;
    longer.push_back(0);
    CHECK_FALSE(decode_checkpoint(longer.data(), longer.size()));
    // Every single flipped bit is caught (header checks or the check value).
    for (size_t i = 0; i < good.size(); ++i)
        for (int bit = 0; bit < 8; ++bit) {
            auto bad = good;
            bad[i] ^= static_cast<uint8_t>(1u << bit);
            CHECK_FALSE(decode_checkpoint(bad.data(), bad.size()));
        }
    // A path length pointing far outside the buffer.
    auto huge = good;
    huge[40] = huge[41] = huge[42] = huge[43] = 0xff;
    CHECK_FALSE(decode_checkpoint(huge.data(), huge.size()));
    // Random bytes of many sizes (never crash, practically never accepted).
    std::mt19937 rng(42);
    size_t accepted = 0;
    for (int round = 0; round < 20000; ++round) {
        std::vector<uint8_t> junk(rng() % 128);
        for (auto &b : junk)
            b = static_cast<uint8_t>(rng());
        if (rng() % 2 && junk.size() >= 4) { // look like a checkpoint to reach deeper checks
            junk[0] = 'F';
            junk[1] = 'R';
            junk[2] = 1;
            junk[3] = 0;
        }
        accepted += decode_checkpoint(junk.data(), junk.size()) ? 1 : 0;
    }
    CHECK(accepted == 0);
}

TEST_CASE("filereader V2 fingerprint: FNV-1a 64 reference values and incremental use") {
    CHECK(fnv1a64("", 0) == 0xcbf29ce484222325ull);
    CHECK(fnv1a64("a", 1) == 0xaf63dc4c8601ec8cull);
    CHECK(fnv1a64("foobar", 6) == 0x85944171f73967e8ull);
    CHECK(fnv1a64("bar", 3, fnv1a64("foo", 3)) == fnv1a64("foobar", 6));
}

TEST_CASE("filereader V2 fingerprint: grows with the file, refuses a rewrite") {
    const std::string v1 = "line 1\n";
    const std::string v2 = v1 + "line 2\nline 3\n";
    Fingerprint fp; // nothing known yet: anything matches and is learnt
    REQUIRE(check_and_extend(fp, reinterpret_cast<const uint8_t *>(v1.data()), v1.size()) ==
            PrefixCheck::same);
    CHECK(fp.len == v1.size());
    // Appended to: still the same file, and the fingerprint now covers the longer prefix.
    REQUIRE(check_and_extend(fp, reinterpret_cast<const uint8_t *>(v2.data()), v2.size()) ==
            PrefixCheck::same);
    CHECK(fp == fingerprint_of(v2.data(), v2.size()));
    // Rewritten with other content of the same or greater length: another file.
    const std::string other = "LINE 1\nline 2\nline 3\nmore\n";
    Fingerprint copy = fp;
    CHECK(check_and_extend(copy, reinterpret_cast<const uint8_t *>(other.data()), other.size()) ==
          PrefixCheck::different);
    CHECK(copy == fp); // unchanged when refused
    // Shorter than what was fingerprinted: truncated, not the same content.
    CHECK(check_and_extend(copy, reinterpret_cast<const uint8_t *>(v1.data()), v1.size()) ==
          PrefixCheck::different);
}

TEST_CASE("filereader V2 fingerprint: files sharing a prefix are told apart by the longer one") {
    // Two files whose first 2 KiB are equal have equal 1 KiB fingerprints: identity also needs
    // device and inode, which is what FileIdentity holds.
    std::string a(2048, 'x'), b(2048, 'x');
    a += "A\n";
    b += "B\n";
    CHECK(fingerprint_of(a.data(), 1024) == fingerprint_of(b.data(), 1024));
    FileIdentity ia{1, 10, fingerprint_of(a.data(), 1024)};
    CHECK(ia.same_inode(1, 10));
    CHECK_FALSE(ia.same_inode(1, 11));
    CHECK_FALSE(ia.same_inode(2, 10));
}

TEST_CASE("filereader V2 fingerprint: read from a real file descriptor") {
    char path[] = "/tmp/mafio-fp-XXXXXX";
    const int fd = ::mkstemp(path);
    REQUIRE(fd >= 0);
    ::unlink(path);
    const std::string content = "0123456789abcdef";
    REQUIRE(::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()));
    std::vector<uint8_t> scratch;
    Fingerprint fp;
    CHECK(check_and_extend_fd(fp, fd, 8, scratch) == PrefixCheck::same);
    CHECK(fp == fingerprint_of(content.data(), 8));
    // A known fingerprint longer than `want` (fingerprint_bytes lowered) is still checked whole.
    Fingerprint longer = fingerprint_of(content.data(), 12);
    CHECK(check_and_extend_fd(longer, fd, 8, scratch) == PrefixCheck::same);
    CHECK(longer.len == 12);
    REQUIRE(::ftruncate(fd, 4) == 0);
    CHECK(check_and_extend_fd(fp, fd, 8, scratch) == PrefixCheck::different);
    ::close(fd);
}
