#include "pipeline/ack_tracker.hpp"

#include <catch2/catch.hpp>

using namespace mafio;

namespace {
std::vector<uint8_t> bytes(const char *s) {
    return {s, s + std::char_traits<char>::length(s)};
}
} // namespace

TEST_CASE("ack tracker: a checkpoint waits for every earlier batch") {
    AckTracker t;
    uint64_t a = t.begin(), b = t.begin(), c = t.begin();
    CheckpointMap out;
    t.finish(c, true, 0, bytes("c"));
    t.finish(b, true, 0, bytes("b"));
    CHECK_FALSE(t.take_if_changed(out)); // a is still in flight
    CHECK(t.unfinished() == 3);
    t.finish(a, true, 0, bytes("a"));
    REQUIRE(t.take_if_changed(out));
    CHECK(out.at(0) == bytes("c")); // the newest of the finished prefix
    CHECK(t.unfinished() == 0);
    CHECK_FALSE(t.take_if_changed(out));
}

TEST_CASE("ack tracker: streams are kept apart and an empty checkpoint forgets") {
    AckTracker t({{7, bytes("old7")}, {9, bytes("old9")}});
    uint64_t a = t.begin(), b = t.begin(), c = t.begin();
    t.finish(a, true, 1, bytes("one"));
    t.finish(b, false, 1, {}); // no checkpoint: stream 1 keeps "one"
    t.finish(c, true, 9, {});  // forget stream 9
    CheckpointMap out;
    REQUIRE(t.take_if_changed(out));
    CHECK(out.size() == 2);
    CHECK(out.at(1) == bytes("one"));
    CHECK(out.at(7) == bytes("old7")); // untouched streams keep their stored position
    CHECK(out.count(9) == 0);
}

TEST_CASE("ack tracker: unknown sequence numbers are ignored") {
    AckTracker t;
    uint64_t a = t.begin();
    t.finish(a + 5, true, 0, bytes("x"));
    t.finish(a, true, 0, bytes("a"));
    t.finish(a, true, 0, bytes("again")); // already retired
    CHECK(t.committed().at(0) == bytes("a"));
}
