// The shared line reader (plugins/common/line_reader.hpp) behind a minimal fake host: the
// skipped_lines counter counts every skipped line even when no batch follows it.
#include "../../plugins/common/line_reader.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <cstring>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

struct Fake {
    std::vector<std::string> lines;
    uint64_t counters[3] = {};
};
Fake &fake(mafio_host_ctx *ctx) {
    return *reinterpret_cast<Fake *>(ctx);
}

void grow(mafio_batch *b, uint64_t bytes, uint32_t records) {
    if (b->arena_size + bytes > b->arena_capacity) {
        b->arena_capacity = b->arena_size + bytes;
        b->arena = static_cast<uint8_t *>(std::realloc(b->arena, b->arena_capacity + 1));
    }
    if (b->count + records > b->records_capacity) {
        b->records_capacity = b->count + records;
        b->records = static_cast<mafio_record *>(
            std::realloc(b->records, (b->records_capacity + 1) * sizeof(mafio_record)));
    }
}
mafio_batch *batch_new(mafio_host_ctx *, uint64_t bytes, uint32_t records) {
    auto *b = static_cast<mafio_batch *>(std::calloc(1, sizeof(mafio_batch)));
    grow(b, bytes, records);
    return b;
}
void batch_free(mafio_host_ctx *, mafio_batch *b) {
    std::free(b->arena);
    std::free(b->records);
    std::free(b);
}
mafio_status emit(mafio_host_ctx *ctx, mafio_batch *b) {
    for (uint32_t i = 0; i < b->count; ++i)
        fake(ctx).lines.emplace_back(mafio::record_bytes(b, i));
    batch_free(ctx, b);
    return MAFIO_OK;
}
mafio_host make_host() {
    mafio_host h{};
    h.struct_size = sizeof h;
    h.metric_register = [](mafio_host_ctx *, const char *name, const char *, uint32_t) {
        return mafio_metric_id(std::strcmp(name, "truncated_lines") == 0 ? 1 : 2);
    };
    h.counter_add = [](mafio_host_ctx *ctx, mafio_metric_id id, uint64_t d) {
        fake(ctx).counters[id] += d;
    };
    h.batch_new = batch_new;
    h.batch_reserve = [](mafio_host_ctx *, mafio_batch *b, uint64_t bytes, uint32_t records) {
        grow(b, bytes, records);
    };
    h.batch_free = batch_free;
    h.emit = emit;
    return h;
}

// Feeds `chunks` through a pipe, one read_chunk() each, then finishes.
Fake read_lines(const std::vector<std::string> &chunks, uint64_t max_line) {
    Fake f;
    const mafio_host raw = make_host();
    mafio::Host host(&raw, reinterpret_cast<mafio_host_ctx *>(&f));
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    {
        mafio_plugins::LineReader reader(host, max_line, mafio_plugins::LongLines::skip,
                                         host.counter("truncated_lines", ""),
                                         host.counter("skipped_lines", ""));
        for (const auto &c : chunks) {
            REQUIRE(::write(fds[1], c.data(), c.size()) == static_cast<ssize_t>(c.size()));
            REQUIRE(reader.read_chunk(fds[0]) == static_cast<ssize_t>(c.size()));
        }
        ::close(fds[1]);
        CHECK(reader.read_chunk(fds[0]) == 0);
        reader.finish();
    }
    ::close(fds[0]);
    return f;
}

} // namespace

// Found by test/fuzz/fuzz_line_reader: the count of skipped lines was only reported with the
// next emitted batch, so lines skipped with none after them (a file of only overlong lines, or
// an overlong last line) were never counted.
TEST_CASE("line reader: skipped lines are counted even when no batch follows them") {
    SECTION("an overlong line split over two reads, then the end") {
        Fake f = read_lines({"long line here", "ab\x03"
                                               "cd\n"},
                            5);
        CHECK(f.lines.empty());
        CHECK(f.counters[2] == 1);
    }
    SECTION("an overlong unterminated last line") {
        Fake f = read_lines({"ok\n", "far too long"}, 5);
        CHECK(f.lines == std::vector<std::string>{"ok"});
        CHECK(f.counters[2] == 1);
    }
    SECTION("a skipped line followed by a kept one is counted once") {
        Fake f = read_lines({"far too long\nok\n"}, 5);
        CHECK(f.lines == std::vector<std::string>{"ok"});
        CHECK(f.counters[2] == 1);
    }
}
