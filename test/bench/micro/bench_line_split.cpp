// Line splitting: LineReader::read_chunk (one read(2) from a memfd, the memchr split, the records,
// the emit) over 4 MiB of ~110-byte lines, with and without the host's records-per-batch bound.
#include "bench_host.hpp"
#include "line_reader.hpp"
#include "sample_data.hpp"

#include <benchmark/benchmark.h>

#include <sys/mman.h>
#include <unistd.h>

namespace {

void BM_LineSplit(benchmark::State &state) {
    const std::string data = mafio_bench::sample_lines(4 << 20);
    const int fd = memfd_create("mafio-bench", 0);
    if (fd < 0 || ::write(fd, data.data(), data.size()) != static_cast<ssize_t>(data.size())) {
        state.SkipWithError("memfd_create/write failed");
        return;
    }
    mafio_bench::BenchHost bench;
    uint64_t records = 0;
    bench.on_emit = [&](const mafio_batch &b) { records += b.count; };
    const mafio::Host host(mafio_bench::bench_host_table(), mafio_bench::bench_ctx(bench),
                           static_cast<uint32_t>(state.range(0)));
    for (auto _ : state) {
        mafio_plugins::LineReader reader(host, mafio_plugins::kDefaultMaxLineBytes);
        ::lseek(fd, 0, SEEK_SET);
        while (reader.read_chunk(fd) > 0) {
        }
        reader.finish();
    }
    ::close(fd);
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
    state.counters["records/s"] =
        benchmark::Counter(static_cast<double>(records), benchmark::Counter::kIsRate);
    state.counters["batches"] =
        benchmark::Counter(static_cast<double>(bench.emitted), benchmark::Counter::kAvgIterations);
}
// 0: no bound (a 1.0 host); 1024: the default channels' bound; 64: a small channel.
BENCHMARK(BM_LineSplit)->Arg(0)->Arg(1024)->Arg(64);

} // namespace
