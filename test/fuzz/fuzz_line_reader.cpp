// Fuzzes the shared line reader (plugins/common/line_reader.hpp) behind a fake host whose
// batches are plain heap blocks. The input is: max_line_bytes (byte 0), max_batch_records
// (byte 1; 0 = no bound), long-line mode (byte 2), then chunks of [length byte][bytes], each
// written to a pipe and read with one read_chunk(). Every emitted batch is checked (records
// inside the arena, no more than max_batch_records) and the records, in order, must be exactly
// the lines of the input, truncated or skipped as configured; line_end() must point just past
// the last '\n' read; the counters must count the truncated/skipped lines; between reads the
// reader holds no batch (its lines are all shorter than a read chunk).
#include "../../plugins/common/line_reader.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

struct Emitted {
    std::string bytes;
    uint32_t flags;
};

struct FakeHost {
    uint32_t max_records = 0;
    std::vector<Emitted> records;
    uint64_t counters[3] = {};
    uint64_t live_batches = 0;
};

FakeHost *ctx_of(mafio_host_ctx *ctx) {
    return reinterpret_cast<FakeHost *>(ctx);
}

void grow(mafio_batch *b, uint64_t bytes, uint32_t records) {
    const uint64_t want_arena = b->arena_size + bytes;
    if (want_arena > b->arena_capacity) {
        b->arena = static_cast<uint8_t *>(std::realloc(b->arena, want_arena ? want_arena : 1));
        b->arena_capacity = want_arena;
    }
    const uint64_t want_records = uint64_t(b->count) + records;
    if (want_records > b->records_capacity) {
        if (want_records > UINT32_MAX) std::abort();
        b->records = static_cast<mafio_record *>(
            std::realloc(b->records, (want_records ? want_records : 1) * sizeof(mafio_record)));
        b->records_capacity = static_cast<uint32_t>(want_records);
    }
}

mafio_batch *batch_new(mafio_host_ctx *ctx, uint64_t bytes, uint32_t records) {
    auto *b = static_cast<mafio_batch *>(std::calloc(1, sizeof(mafio_batch)));
    b->struct_size = sizeof(mafio_batch);
    grow(b, bytes, records);
    ++ctx_of(ctx)->live_batches;
    return b;
}

void batch_free(mafio_host_ctx *ctx, mafio_batch *b) {
    std::free(b->arena);
    std::free(b->records);
    std::free(b);
    --ctx_of(ctx)->live_batches;
}

mafio_status emit(mafio_host_ctx *ctx, mafio_batch *b) {
    FakeHost &h = *ctx_of(ctx);
    if (b->count == 0 || b->arena_size > b->arena_capacity || b->count > b->records_capacity)
        std::abort();
    if (h.max_records && b->count > h.max_records) std::abort();
    for (uint32_t i = 0; i < b->count; ++i) {
        const mafio_record &r = b->records[i];
        if (r.offset > b->arena_size || r.len > b->arena_size - r.offset) std::abort();
        h.records.push_back(
            {std::string(reinterpret_cast<const char *>(b->arena + r.offset), r.len), r.flags});
    }
    batch_free(ctx, b);
    return MAFIO_OK;
}

void log(mafio_host_ctx *, mafio_log_level, const char *) {}
void set_error(mafio_host_ctx *, const char *) {}
mafio_metric_id metric_register(mafio_host_ctx *, const char *name, const char *, uint32_t) {
    return std::strcmp(name, "truncated_lines") == 0 ? 1 : 2;
}
void counter_add(mafio_host_ctx *ctx, mafio_metric_id id, uint64_t delta) {
    if (id > 2) std::abort();
    ctx_of(ctx)->counters[id] += delta;
}
void gauge_set(mafio_host_ctx *, mafio_metric_id, int64_t) {}
void batch_set_checkpoint(mafio_host_ctx *, mafio_batch *, const uint8_t *, uint32_t) {}
void batch_reserve(mafio_host_ctx *, mafio_batch *b, uint64_t bytes, uint32_t records) {
    grow(b, bytes, records);
}
int stopping(mafio_host_ctx *) {
    return 0;
}
const void *get_extension(mafio_host_ctx *, const char *) {
    return nullptr;
}

const mafio_host kHost = {sizeof(mafio_host),
                          1,
                          1,
                          0,
                          log,
                          set_error,
                          metric_register,
                          counter_add,
                          gauge_set,
                          batch_new,
                          batch_reserve,
                          batch_set_checkpoint,
                          batch_free,
                          emit,
                          stopping,
                          get_extension};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 3) return 0;
    const uint64_t max_line = 1 + data[0] % 64;
    FakeHost fake;
    fake.max_records = data[1] % 8;
    const bool skip = data[2] & 1;
    data += 3;
    size -= 3;

    int fds[2];
    if (::pipe(fds) != 0) std::abort();
    std::string input;
    uint64_t expect_line_end = 0;
    {
        mafio::Host host(&kHost, reinterpret_cast<mafio_host_ctx *>(&fake), fake.max_records);
        mafio_plugins::LineReader reader(
            host, max_line,
            skip ? mafio_plugins::LongLines::skip : mafio_plugins::LongLines::truncate,
            host.counter("truncated_lines", ""), host.counter("skipped_lines", ""));
        size_t pos = 0;
        while (pos < size) {
            const size_t len = std::min<size_t>(data[pos], size - pos - 1);
            const char *chunk = reinterpret_cast<const char *>(data + pos + 1);
            pos += 1 + len;
            if (len == 0) continue; // an empty pipe would block the read
            if (::write(fds[1], chunk, len) != static_cast<ssize_t>(len)) std::abort();
            if (reader.read_chunk(fds[0]) != static_cast<ssize_t>(len)) std::abort();
            // Lines here are far shorter than a read chunk: between reads, no batch is held.
            if (fake.live_batches != 0) std::abort();
            input.append(chunk, len);
            if (size_t nl = input.rfind('\n'); nl != std::string::npos) expect_line_end = nl + 1;
            if (reader.line_end() != expect_line_end || reader.position() != input.size())
                std::abort();
        }
        ::close(fds[1]);
        if (reader.read_chunk(fds[0]) != 0) std::abort();
        reader.finish();
        ::close(fds[0]);
    }
    if (fake.live_batches != 0) std::abort(); // a batch leaked or was freed twice

    // What the records must be.
    std::vector<Emitted> want;
    uint64_t truncated = 0, skipped = 0;
    size_t start = 0;
    while (start < input.size()) {
        size_t nl = input.find('\n', start);
        size_t end = nl == std::string::npos ? input.size() : nl;
        std::string line = input.substr(start, end - start);
        if (line.size() <= max_line) {
            want.push_back({line, 0});
        } else if (skip) {
            ++skipped;
        } else {
            want.push_back({line.substr(0, max_line), MAFIO_RECORD_TRUNCATED});
            ++truncated;
        }
        start = nl == std::string::npos ? input.size() : nl + 1;
    }
    if (fake.records.size() != want.size()) std::abort();
    for (size_t i = 0; i < want.size(); ++i)
        if (fake.records[i].bytes != want[i].bytes || fake.records[i].flags != want[i].flags)
            std::abort();
    if (fake.counters[1] != truncated || fake.counters[2] != skipped) std::abort();
    return 0;
}
