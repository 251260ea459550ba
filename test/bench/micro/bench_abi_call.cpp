// One ABI call per batch: valid-V1.so loaded with dlopen as the host does, its process()
// called through the C vtable, on an empty batch (the call's own cost) and on a batch of 1024
// ~110-byte records (what the filter costs per batch, as records/s).
#include "bench_host.hpp"
#include "sample_data.hpp"

#include <benchmark/benchmark.h>

#include <cstring>
#include <dlfcn.h>

namespace {

struct LoadedValid {
    void *lib = nullptr;
    const mafio_filter_vtable *vt = nullptr;
    void *instance = nullptr;
    mafio_bench::BenchHost host;

    LoadedValid() {
        lib = dlopen(MAFIO_BENCH_PLUGINS_DIR "/valid-V1.so", RTLD_NOW | RTLD_LOCAL);
        if (!lib) return;
        auto entry = reinterpret_cast<mafio_plugin_entry_fn>(dlsym(lib, MAFIO_PLUGIN_ENTRY_SYMBOL));
        const mafio_plugin_desc *desc = entry ? entry(MAFIO_ABI_MAJOR, MAFIO_ABI_MINOR) : nullptr;
        if (!desc) return;
        vt = static_cast<const mafio_filter_vtable *>(desc->vtable);
        mafio_create_args args{};
        args.struct_size = sizeof args;
        args.host = mafio_bench::bench_host_table();
        args.ctx = mafio_bench::bench_ctx(host);
        args.options_json = "{}";
        args.instance = "filters[0]";
        args.data_dir = "";
        if (vt->life.create(&args, &instance) != MAFIO_OK) vt = nullptr;
    }
    ~LoadedValid() {
        if (vt && instance) vt->life.destroy(instance);
        if (lib) dlclose(lib);
    }
};

// A batch laid out as a line input leaves it: records back to back, '\n' after each.
mafio::Batch *line_batch(const std::string &lines) {
    mafio::Batch *b = mafio::batch_new(lines.size(), 2048);
    std::memcpy(b->view.arena, lines.data(), lines.size());
    b->view.arena_size = lines.size();
    for (size_t at = 0; at < lines.size();) {
        const size_t nl = lines.find('\n', at);
        b->view.records[b->view.count++] = mafio_record{at, static_cast<uint32_t>(nl - at), 0, 0};
        at = nl + 1;
    }
    return b;
}

void BM_AbiCallPerBatch(benchmark::State &state) {
    LoadedValid valid;
    if (!valid.vt) {
        state.SkipWithError("cannot load valid-V1.so (build the plugins first)");
        return;
    }
    const std::string lines = mafio_bench::sample_lines(static_cast<size_t>(state.range(0)) * 110);
    mafio::Batch *b = line_batch(lines);
    const uint32_t count = b->view.count;
    for (auto _ : state) {
        b->view.count = count; // nothing is dropped, but restore it anyway
        benchmark::DoNotOptimize(valid.vt->process(valid.instance, &b->view));
    }
    mafio::batch_free(b);
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * count);
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * lines.size()));
}
// ~0 records: the cost of the call itself; 1024: valid's work on a default-sized batch.
BENCHMARK(BM_AbiCallPerBatch)->ArgName("records")->Arg(1)->Arg(1024);

} // namespace
