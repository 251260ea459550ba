// UTF-8 validation (valid:V1): one pass over a whole batch's bytes, as the filter does when
// records are back to back, against one call per ~110-byte record.
#include "sample_data.hpp"
#include "utf8.hpp"

#include <benchmark/benchmark.h>

#include <string_view>
#include <vector>

namespace {

void BM_Utf8WholeBatch(benchmark::State &state) {
    const std::string data = mafio_bench::sample_lines(256 << 10, state.range(0) != 0);
    const auto *bytes = reinterpret_cast<const unsigned char *>(data.data());
    for (auto _ : state)
        benchmark::DoNotOptimize(valid_v1::is_valid_utf8(bytes, data.size()));
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
}
BENCHMARK(BM_Utf8WholeBatch)->ArgName("non_ascii")->Arg(0)->Arg(1);

void BM_Utf8PerRecord(benchmark::State &state) {
    const std::string data = mafio_bench::sample_lines(256 << 10, state.range(0) != 0);
    std::vector<std::string_view> lines;
    for (size_t at = 0; at < data.size();) {
        const size_t nl = data.find('\n', at);
        lines.emplace_back(data.data() + at, nl - at);
        at = nl + 1;
    }
    for (auto _ : state)
        for (std::string_view l : lines)
            benchmark::DoNotOptimize(valid_v1::is_valid_utf8(
                reinterpret_cast<const unsigned char *>(l.data()), l.size()));
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
}
BENCHMARK(BM_Utf8PerRecord)->ArgName("non_ascii")->Arg(0)->Arg(1);

} // namespace
