// Checkpoints by component id: <data_dir>/checkpoints/<id>.ckpt holds the committed positions of
// one input and the format they are in. An input is handed only checkpoints of a format its
// plugin reads (plugin.h, "Checkpoint formats"); a 0.3 data dir (input-<n>-<name>.ckpt, keyed by
// position and plugin name) is adopted once by the input at that position with that name.
#include "pipeline/pipeline.hpp"

#include "util/log.hpp"

#include <pthread.h>

#include <filesystem>

namespace fs = std::filesystem;

namespace mafio {

namespace {

// 0.3 kept one file per input position and plugin name. The input now at that position, with
// that plugin name, takes it over under its id, unless it already has a file of its own.
void adopt_legacy_file(const std::string &data_dir, size_t position, const Instance &in,
                       const std::string &new_path) {
    const fs::path legacy =
        fs::path(data_dir) / "checkpoints" /
        ("input-" + std::to_string(position) + "-" + in.plugin().file().name + ".ckpt");
    std::error_code ec;
    if (!fs::exists(legacy, ec) || fs::exists(new_path, ec)) return;
    fs::rename(legacy, new_path, ec);
    if (ec)
        log::warn("{}: cannot adopt the 0.3 checkpoint file {}: {}; starting as configured",
                  in.label(), legacy.string(), ec.message());
    else
        log::info("{}: adopted the 0.3 checkpoint file {} as {}", in.label(), legacy.string(),
                  new_path);
}

} // namespace

void Pipeline::prepare_checkpoints(size_t index) {
    connect();
    InputState &state = *inputs_state_[index];
    if (state.prepared) return;
    state.prepared = true;
    const Instance &in = *inputs_[index];
    state.format = in.plugin().checkpoint_format();
    if (settings_.data_dir.empty()) return;
    state.store = std::make_unique<CheckpointStore>(settings_.data_dir, in.id(), state.format);
    adopt_legacy_file(settings_.data_dir, index, in, state.store->path());
    std::string stored_format;
    CheckpointMap stored = state.store->load(&stored_format);
    if (stored.empty()) return;
    // 0.3 recorded no format: its bytes are whatever the plugin of that name wrote.
    if (stored_format.empty()) stored_format = "mafio.legacy/" + in.plugin().file().name;
    if (!in.plugin().reads_checkpoint_format(stored_format)) {
        log::warn("{}: the stored checkpoints in {} are of format \"{}\", which {} does not "
                  "read (it writes \"{}\"); starting it as configured instead of resuming",
                  in.label(), state.store->path(), stored_format, in.plugin().id(), state.format);
        return;
    }
    log::info("{}: resuming from {} stored checkpoint(s) in {}", in.label(), stored.size(),
              state.store->path());
    state.loaded = stored;
    // A stream nobody touches this run keeps its position in what gets stored next.
    state.tracker.seed(std::move(stored));
}

std::vector<mafio_checkpoint> Pipeline::load_checkpoints(size_t input) {
    prepare_checkpoints(input);
    std::vector<mafio_checkpoint> views;
    for (const auto &[stream, bytes] : inputs_state_[input]->loaded)
        views.push_back(
            mafio_checkpoint{stream, static_cast<uint32_t>(bytes.size()), bytes.data()});
    return views;
}

bool Pipeline::store_checkpoints() {
    const std::shared_lock no_swap_meanwhile(graph_mutex_); // labels, and a store's format
    bool stored = false;
    for (size_t i = 0; i < inputs_state_.size(); ++i) {
        InputState &state = *inputs_state_[i];
        CheckpointMap map;
        if (!state.store || !state.tracker.take_if_changed(map)) continue;
        stored = true;
        std::string error;
        if (state.store->store(map, error)) {
            if (state.store_failing.exchange(false))
                log::info("{}: checkpoints are stored again", inputs_[i]->label());
            continue;
        }
        // Kept as changed, so the next round tries again even when no new data arrives.
        state.tracker.mark_changed();
        state.store_failing = true;
        checkpoint_errors_.error(inputs_[i]->label(),
                                 "cannot store checkpoints: " + error + "; retrying");
    }
    return stored;
}

bool Pipeline::store_failed_any() const {
    for (const auto &s : inputs_state_)
        if (s->store_failing.load()) return true;
    return false;
}

// Stores committed checkpoints off the data path: a change is stored soon after it is
// committed, but never more often than every checkpoint_interval. (Storing only at the end of
// each interval would mean an agent killed more often than that never makes progress.)
// Runs until every pipeline thread has ended; wait() stores the last state.
void Pipeline::checkpoint_loop() {
    pthread_setname_np(pthread_self(), "checkpoint");
    using clock = std::chrono::steady_clock;
    const auto interval = settings_.checkpoint_interval;
    // One wake-up per interval: an idle agent costs (almost) nothing, and a commit is stored
    // within an interval of being made.
    const auto step = interval;
    auto last_store = clock::now() - interval;
    std::unique_lock lock(mutex_);
    while (running_threads_ > 0) {
        changed_.wait_for(lock, step);
        if (clock::now() - last_store < interval) continue;
        lock.unlock();
        if (store_checkpoints()) last_store = clock::now(); // only inputs whose state changed
        lock.lock();
    }
}

} // namespace mafio
