// Channel push/pop per batch (pipeline/bounded_queue.hpp): uncontended in one thread, and
// handed between a producer and a consumer thread as the pipeline does.
#include "pipeline/bounded_queue.hpp"

#include <benchmark/benchmark.h>

#include <thread>

namespace {

void BM_ChannelPushPop(benchmark::State &state) {
    mafio::BoundedQueue<int> q(4096, 16 << 20);
    for (auto _ : state) {
        q.push(1, 1024, 256 << 10);
        benchmark::DoNotOptimize(q.pop());
    }
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_ChannelPushPop);

// Items are batches of 1024 records, 4 fit: the producer blocks when the consumer lags.
void BM_ChannelTwoThreads(benchmark::State &state) {
    constexpr int kBatches = 20000;
    for (auto _ : state) {
        mafio::BoundedQueue<int> q(4096, 16 << 20);
        std::thread consumer([&] {
            while (q.pop()) {
            }
        });
        for (int i = 0; i < kBatches; ++i)
            q.push(i, 1024, 256 << 10);
        q.close();
        consumer.join();
    }
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * kBatches);
}
BENCHMARK(BM_ChannelTwoThreads)->UseRealTime();

} // namespace
