// What a LineReader holds between reads (plugins/common/line_reader.hpp, line_spill.hpp): no
// batch, only its partial line at its own size, except a long line being assembled, which stays
// in one batch of at most twice its size. Checked behind a fake host that counts live batches,
// on files appended to while they are read (a memfd), with lines from empty to 700 KiB, so the
// spill, the long-line batch and the cut at max_batch_records are all crossed; every record must
// still be exactly the input's lines, truncated or skipped as configured, and line_end() never
// inside a partial line.
#include "../../plugins/common/line_reader.hpp"

#include <catch2/catch.hpp>

#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

struct Record {
    std::string bytes;
    uint32_t flags;
};

struct Fake {
    uint32_t max_records = 0;
    std::vector<Record> records;
    uint64_t counters[3] = {};
    int64_t live_batches = 0;
    uint64_t live_arena_bytes = 0; // the capacity of the live batches' arenas
    uint64_t batches_emitted = 0;
};
Fake &fake(mafio_host_ctx *ctx) {
    return *reinterpret_cast<Fake *>(ctx);
}

void grow(Fake &f, mafio_batch *b, uint64_t bytes, uint32_t records) {
    if (b->arena_size + bytes > b->arena_capacity) {
        f.live_arena_bytes -= b->arena_capacity;
        // Doubling like the real host, so that "twice the line" is what is checked.
        uint64_t cap = std::max<uint64_t>(b->arena_capacity, 4096);
        while (cap < b->arena_size + bytes)
            cap *= 2;
        if (b->arena_size == 0) cap = bytes; // an empty arena gets exactly what is asked
        b->arena = static_cast<uint8_t *>(std::realloc(b->arena, cap ? cap : 1));
        b->arena_capacity = cap;
        f.live_arena_bytes += cap;
    }
    if (uint64_t{b->count} + records > b->records_capacity) {
        b->records_capacity = b->count + records;
        b->records = static_cast<mafio_record *>(
            std::realloc(b->records, (b->records_capacity + 1) * sizeof(mafio_record)));
    }
}
mafio_batch *batch_new(mafio_host_ctx *ctx, uint64_t bytes, uint32_t records) {
    auto *b = static_cast<mafio_batch *>(std::calloc(1, sizeof(mafio_batch)));
    b->struct_size = sizeof(mafio_batch);
    grow(fake(ctx), b, bytes, records);
    ++fake(ctx).live_batches;
    return b;
}
void batch_free(mafio_host_ctx *ctx, mafio_batch *b) {
    fake(ctx).live_arena_bytes -= b->arena_capacity;
    std::free(b->arena);
    std::free(b->records);
    std::free(b);
    --fake(ctx).live_batches;
}
mafio_status emit(mafio_host_ctx *ctx, mafio_batch *b) {
    Fake &f = fake(ctx);
    REQUIRE(b->count > 0);
    if (f.max_records) REQUIRE(b->count <= f.max_records);
    for (uint32_t i = 0; i < b->count; ++i) {
        const mafio_record &r = b->records[i];
        REQUIRE(r.offset + r.len <= b->arena_size);
        f.records.push_back(
            {std::string(reinterpret_cast<const char *>(b->arena + r.offset), r.len), r.flags});
    }
    ++f.batches_emitted;
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
    h.batch_reserve = [](mafio_host_ctx *ctx, mafio_batch *b, uint64_t bytes, uint32_t records) {
        grow(fake(ctx), b, bytes, records);
    };
    h.batch_free = batch_free;
    h.emit = emit;
    return h;
}

// A file being appended to: a memfd written with pwrite at its end and read through its offset.
struct GrowingFile {
    int fd = ::memfd_create("line-reader-test", MFD_CLOEXEC);
    uint64_t size = 0;
    GrowingFile() { REQUIRE(fd >= 0); }
    ~GrowingFile() { ::close(fd); }
    void append(const std::string &s) {
        REQUIRE(::pwrite(fd, s.data(), s.size(), static_cast<off_t>(size)) ==
                static_cast<ssize_t>(s.size()));
        size += s.size();
    }
};

// splitmix64, so that a failing seed reproduces everywhere.
struct Rng {
    uint64_t s;
    uint64_t next() {
        uint64_t z = (s += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    uint64_t below(uint64_t n) { return next() % n; }
};

std::string line_of(Rng &rng, uint64_t len) {
    std::string s(len, 'a');
    for (uint64_t i = 0; i < len; i += 61)
        s[i] = static_cast<char>('a' + rng.below(26));
    return s;
}

// The records `input` must give.
std::vector<Record> expected(const std::string &input, uint64_t max_line, bool skip) {
    std::vector<Record> want;
    size_t start = 0;
    while (start < input.size()) {
        const size_t nl = input.find('\n', start);
        const size_t end = nl == std::string::npos ? input.size() : nl;
        const std::string line = input.substr(start, end - start);
        if (line.size() <= max_line)
            want.push_back({line, 0});
        else if (!skip)
            want.push_back({line.substr(0, max_line), MAFIO_RECORD_TRUNCATED});
        start = nl == std::string::npos ? input.size() : nl + 1;
    }
    return want;
}

// Between two calls: no batch, unless a long line is being assembled (then one, whose arena is
// about twice that line at most: doubled once past the line and a read).
// Returns whether a long line was being assembled.
bool check_holdings(const Fake &f, const mafio_plugins::LineReader &r) {
    if (r.held_bytes() < mafio_plugins::kReadChunkBytes) {
        REQUIRE(f.live_batches == 0);
        return false;
    } else {
        REQUIRE(f.live_batches == 1);
        REQUIRE(f.live_arena_bytes <= 2 * (r.held_bytes() + mafio_plugins::kReadChunkBytes));
        return true;
    }
}

} // namespace

TEST_CASE("line reader memory: a partial line is held at its own size, not in a batch") {
    Fake f;
    const mafio_host raw = make_host();
    mafio::Host host(&raw, reinterpret_cast<mafio_host_ctx *>(&f));
    GrowingFile file;
    mafio_plugins::LineReader reader(host, 1 << 20);

    file.append("abc\nde");
    REQUIRE(reader.read_chunk(file.fd) == 6);
    CHECK(f.records.size() == 1);
    CHECK(f.live_batches == 0);
    CHECK(reader.held_bytes() == 2);
    CHECK(reader.line_end() == 4);
    CHECK(reader.position() == 6);

    // At the end, nothing new: still nothing held but the two bytes.
    CHECK(reader.read_chunk(file.fd) == 0);
    CHECK(f.live_batches == 0);
    CHECK(reader.held_bytes() == 2);

    // Only the end of a line, no '\n' yet: still no batch.
    file.append("f");
    REQUIRE(reader.read_chunk(file.fd) == 1);
    CHECK(f.live_batches == 0);
    CHECK(reader.held_bytes() == 3);
    CHECK(reader.line_end() == 4);

    file.append("\ng");
    REQUIRE(reader.read_chunk(file.fd) == 2);
    CHECK(reader.line_end() == 8);
    reader.finish();
    CHECK(f.live_batches == 0);
    REQUIRE(f.records.size() == 3);
    CHECK(f.records[0].bytes == "abc");
    CHECK(f.records[1].bytes == "def");
    CHECK(f.records[2].bytes == "g");
}

TEST_CASE("line reader memory: a restart forgets the spilled partial line") {
    Fake f;
    const mafio_host raw = make_host();
    mafio::Host host(&raw, reinterpret_cast<mafio_host_ctx *>(&f));
    GrowingFile file;
    mafio_plugins::LineReader reader(host, 1 << 20);
    file.append("one\ntw");
    REQUIRE(reader.read_chunk(file.fd) == 6);
    reader.restart_at(0);
    CHECK(reader.held_bytes() == 0);
    REQUIRE(::lseek(file.fd, 0, SEEK_SET) == 0);
    file.append("o\n");
    while (reader.read_chunk(file.fd) > 0) {
    }
    reader.finish();
    CHECK(f.live_batches == 0);
    REQUIRE(f.records.size() == 3);
    CHECK(f.records[1].bytes == "one");
    CHECK(f.records[2].bytes == "two");
}

TEST_CASE("line reader memory: a long line arriving in pieces stays in one batch") {
    Fake f;
    const mafio_host raw = make_host();
    mafio::Host host(&raw, reinterpret_cast<mafio_host_ctx *>(&f));
    GrowingFile file;
    mafio_plugins::LineReader reader(host, 4 << 20);
    Rng rng{7};
    const std::string line = line_of(rng, 3 << 20);
    // 3 MiB in 100 KiB appends, each read to its end as a tailing reader would.
    for (size_t at = 0; at < line.size(); at += 100 * 1024) {
        file.append(line.substr(at, 100 * 1024));
        while (reader.read_chunk(file.fd) > 0) {
        }
        CHECK(f.records.empty());
        CHECK(reader.line_end() == 0);
        (void)check_holdings(f, reader);
    }
    CHECK(reader.held_bytes() == line.size());
    file.append("\n");
    REQUIRE(reader.read_chunk(file.fd) == 1);
    CHECK(f.live_batches == 0);
    REQUIRE(f.records.size() == 1);
    CHECK(f.records[0].bytes == line);
    CHECK(reader.line_end() == line.size() + 1);
}

TEST_CASE("line reader memory: random lines, appends and limits give exactly the lines") {
    uint64_t long_partials = 0, spilled_partials = 0; // what the seeds went through
    for (uint64_t seed = 1; seed <= 24; ++seed) {
        Rng rng{seed};
        const uint64_t max_line = seed % 3 == 0 ? 300 * 1024 : (seed % 3 == 1 ? 5000 : 1 << 20);
        const bool skip = seed % 2 == 0;
        Fake f;
        f.max_records = seed % 4 == 0 ? 0 : static_cast<uint32_t>(1 + rng.below(2000));
        const mafio_host raw = make_host();
        mafio::Host host(&raw, reinterpret_cast<mafio_host_ctx *>(&f), f.max_records);
        GrowingFile file;
        std::string input;
        INFO("seed " << seed << ", max_line " << max_line << ", skip " << skip << ", max_records "
                     << f.max_records);
        {
            mafio_plugins::LineReader reader(
                host, max_line,
                skip ? mafio_plugins::LongLines::skip : mafio_plugins::LongLines::truncate,
                host.counter("truncated_lines", ""), host.counter("skipped_lines", ""));
            std::string pending; // written in appends of random sizes, cut anywhere
            for (int l = 0; l < 3000; ++l) {
                const uint64_t kind = rng.below(1000);
                const uint64_t len = kind < 3    ? 250 * 1024 + rng.below(450 * 1024)
                                     : kind < 30 ? 1000 + rng.below(20000)
                                     : kind < 60 ? 0
                                                 : rng.below(300);
                pending += line_of(rng, len);
                if (l < 2999 || seed % 5 != 0) pending += '\n'; // sometimes unterminated at the end
                if (pending.size() < rng.below(400 * 1024) && l < 2999) continue;
                const size_t cut = l < 2999 ? rng.below(pending.size() + 1) : pending.size();
                file.append(pending.substr(0, cut));
                input += pending.substr(0, cut);
                pending.erase(0, cut);
                // Read to the end, as the file readers do between appends.
                ssize_t n;
                while ((n = reader.read_chunk(file.fd)) > 0) {
                }
                REQUIRE(n == 0);
                REQUIRE(reader.position() == input.size());
                const size_t nl = input.rfind('\n');
                REQUIRE(reader.line_end() == (nl == std::string::npos ? 0 : nl + 1));
                // A partial line past max_line_bytes went out truncated (or was skipped): only
                // what is still to come of it is held.
                if (reader.held_bytes() > 0) {
                    REQUIRE(reader.held_bytes() == input.size() - reader.line_end());
                    REQUIRE(reader.held_bytes() <= max_line);
                }
                if (check_holdings(f, reader))
                    ++long_partials;
                else if (reader.held_bytes() > 0)
                    ++spilled_partials;
            }
            reader.finish();
        }
        REQUIRE(f.live_batches == 0);
        const std::vector<Record> want = expected(input, max_line, skip);
        REQUIRE(f.records.size() == want.size());
        for (size_t i = 0; i < want.size(); ++i) {
            INFO("record " << i);
            REQUIRE(f.records[i].flags == want[i].flags);
            REQUIRE(f.records[i].bytes == want[i].bytes);
        }
    }
    // The seeds are chosen to cross both ways of holding a partial line.
    CHECK(long_partials > 0);
    CHECK(spilled_partials > 0);
}
