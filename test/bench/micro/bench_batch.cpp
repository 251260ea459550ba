// Batch building: batch_new + 1024 records appended one by one (mafio::append_record, which
// copies each record's bytes) + batch_free, through the host's batch pool.
#include "bench_host.hpp"
#include "sample_data.hpp"

#include <mafio/plugin.hpp>

#include <benchmark/benchmark.h>

#include <string_view>
#include <vector>

namespace {

void BM_BatchBuild(benchmark::State &state) {
    const std::string data = mafio_bench::sample_lines(1024 * 110);
    std::vector<std::string_view> lines;
    for (size_t at = 0; at < data.size() && lines.size() < 1024;) {
        const size_t nl = data.find('\n', at);
        lines.emplace_back(data.data() + at, nl - at);
        at = nl + 1;
    }
    mafio_bench::BenchHost bench;
    const mafio::Host host(mafio_bench::bench_host_table(), mafio_bench::bench_ctx(bench));
    for (auto _ : state) {
        mafio_batch *b = host.new_batch(data.size(), static_cast<uint32_t>(lines.size()));
        for (std::string_view l : lines)
            mafio::append_record(host, b, l);
        benchmark::DoNotOptimize(b->arena);
        host.free_batch(b);
    }
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * lines.size()));
}
BENCHMARK(BM_BatchBuild);

} // namespace
