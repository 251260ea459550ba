// Live swap of an input's plugin (for example filereader:V2 -> filereader:V1) on the same slot:
// same id, same routes, same acknowledgement tracker, the old instance's committed checkpoints
// handed to the new one. Nothing read is lost and nothing is read twice, because the old
// instance is quiesced and all its batches are acknowledged before its positions are taken.
#include "pipeline/pipeline.hpp"

#include "util/log.hpp"

namespace mafio {

namespace {

// After a replacement failed to start: a fresh instance of the old plugin with the old options
// (and positions), or nullptr with `error` set when that fails too.
std::unique_ptr<Instance> fresh_instance_of(const Instance &old, EmitSink *sink,
                                            const std::vector<mafio_checkpoint> &positions,
                                            std::string &error) {
    auto again = std::make_unique<Instance>(old.plugin_ptr(), old.id(), old.where(), old.index());
    try {
        again->create(old.options_json(), old.data_dir(), sink);
        again->start(positions);
    } catch (const std::exception &e) {
        error = e.what();
        return nullptr;
    }
    return again;
}

} // namespace

int Pipeline::kind_of(const std::string &id) const {
    if (index_of(inputs_, id) >= 0) return MAFIO_KIND_INPUT;
    if (index_of(filters_, id) >= 0) return MAFIO_KIND_FILTER;
    if (index_of(outputs_, id) >= 0) return MAFIO_KIND_OUTPUT;
    return 0;
}

std::optional<Pipeline::Slot> Pipeline::slot(const std::string &id) const {
    const std::shared_lock no_swap_meanwhile(graph_mutex_);
    for (const auto *list : {&inputs_, &filters_, &outputs_})
        for (const auto &inst : *list)
            if (inst->id() == id)
                return Slot{inst->kind(),         inst->plugin_ptr(), inst->where(),
                            inst->options_json(), inst->data_dir(),   inst->index()};
    return std::nullopt;
}

// Ends the input's thread without touching its routes, then waits until everything it emitted
// is acknowledged. On a timeout the old instance resumes and the reason is returned.
std::string Pipeline::quiesce_input(size_t i, std::chrono::milliseconds timeout) {
    InputState &state = *inputs_state_[i];
    state.swapping = true;
    inputs_[i]->wakeup.notify();
    if (state.thread.joinable()) state.thread.join();
    // What filters hold of it (mafio/ext/hold.h) keeps its batches unacknowledged until a later
    // batch carries it out, and none comes while it is quiesced: the input ends for them here.
    release_held_of_input(i, true);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    if (state.tracker.wait_drained(deadline)) return {};
    state.swapping = false;
    start_input_thread(i);
    return std::to_string(state.tracker.unfinished()) +
           " batch(es) were still unacknowledged after " + std::to_string(timeout.count()) +
           " ms (a slow or failing output?); the swap was abandoned and " +
           inputs_[i]->plugin().id() + " goes on";
}

std::string Pipeline::swap_input(const std::string &id, std::unique_ptr<Instance> replacement,
                                 bool reset_position, std::chrono::milliseconds timeout) {
    std::lock_guard one_swap(swap_mutex_);
    const int i = index_of(inputs_, id);
    if (i < 0) return "no input with id \"" + id + "\"";
    InputState &state = *inputs_state_[i];
    if (stopping() || state.control.stop) return id + ": is stopping";
    if (state.thread_done) return id + ": has ended; nothing to swap";
    Instance &old = *inputs_[i];
    const LoadedPlugin &next = replacement->plugin();
    const std::string old_name = old.plugin().id(), next_name = next.id();
    const std::string stored_format = state.format;
    const bool compatible = next.reads_checkpoint_format(stored_format);
    if (!compatible && !reset_position)
        return id + ": " + next.id() + " does not read the checkpoint format \"" + stored_format +
               "\" that " + old.plugin().id() +
               " writes, so it could not resume where that one is; swap with reset_position "
               "to start it as configured instead";

    if (std::string why = quiesce_input(static_cast<size_t>(i), timeout); !why.empty())
        return id + ": " + why;
    // Everything emitted is acknowledged: the committed positions are exactly what was
    // delivered. Store them now, so that a crash from here on resumes right there.
    store_checkpoints();
    CheckpointMap positions = compatible ? state.tracker.committed() : CheckpointMap{};
    if (!compatible) state.tracker.seed({}); // the old format's positions mean nothing to it
    old.stop();

    std::vector<mafio_checkpoint> views;
    for (const auto &[stream, bytes] : positions)
        views.push_back(
            mafio_checkpoint{stream, static_cast<uint32_t>(bytes.size()), bytes.data()});
    std::string failure;
    try {
        replacement->start(views);
    } catch (const std::exception &e) {
        failure = e.what();
    }
    std::unique_ptr<Instance> previous;
    if (!failure.empty()) {
        // Put the old plugin back: a fresh instance of it, with its options and positions.
        std::string error;
        auto again = fresh_instance_of(old, this, views, error);
        if (!again) {
            log::error("{}: could not restart {} after the failed swap either: {}; the input "
                       "stays stopped",
                       id, old.plugin().id(), error);
            state.swapping = false;
            input_ended(static_cast<size_t>(i));
            return id + ": " + next_name + " failed to start: " + failure;
        }
        replacement = std::move(again);
    }
    carry_stats(old.stats, replacement->stats);
    {
        std::unique_lock exclusive(graph_mutex_);
        previous = std::move(inputs_[i]);
        inputs_[i] = std::move(replacement);
        state.format = inputs_[i]->plugin().checkpoint_format();
        if (state.store) state.store->set_format(state.format);
    }
    state.swapping = false;
    start_input_thread(static_cast<size_t>(i));
    previous.reset(); // destroy(); the library unloads once no instance uses it
    if (!failure.empty())
        return id + ": " + next_name + " failed to start (" + failure + "); " + old_name +
               " runs again from where it stopped";
    log::info("{}: swapped {} -> {} ({} checkpoint(s) handed over{})", id, old_name, next_name,
              positions.size(), compatible ? "" : "; position reset");
    return {};
}

std::string Pipeline::swap_filter_or_output(const std::string &id,
                                            std::unique_ptr<Instance> replacement,
                                            std::chrono::milliseconds timeout) {
    std::lock_guard one_swap(swap_mutex_);
    const int f = index_of(filters_, id), o = index_of(outputs_, id);
    if (f < 0 && o < 0) return "no filter or output with id \"" + id + "\"";
    if (stopping()) return id + ": the agent is stopping";
    auto &slot = f >= 0 ? filters_[f] : outputs_[o];
    if (f >= 0 ? filters_state_[f]->stopped.load() : outputs_state_[o]->stopped.load())
        return id + ": was stopped; nothing to swap";
    std::timed_mutex &calls = f >= 0 ? filters_state_[f]->calls : outputs_state_[o]->calls;
    // Between two calls of the old instance: no process() or write() runs while this is held.
    std::unique_lock between(calls, std::defer_lock);
    if (!between.try_lock_for(timeout))
        return id + ": still inside a call after " + std::to_string(timeout.count()) +
               " ms; the swap was abandoned and " + slot->plugin().id() + " goes on";
    Instance &old = *slot;
    const std::string old_name = old.plugin().id(), next_name = replacement->plugin().id();
    if (f >= 0) release_all_held_by(static_cast<size_t>(f)); // the old one's held records go on
    old.flush(); // an output's buffered records go out through the old instance first
    old.stop();
    std::string failure;
    try {
        replacement->start({});
    } catch (const std::exception &e) {
        failure = e.what();
        std::string error;
        auto again = fresh_instance_of(old, this, {}, error);
        if (!again) {
            // Nothing can take the slot: the component keeps its stopped instance, whose calls
            // fail and are counted, rather than leaving a hole in the routes.
            log::error("{}: could not restart {} after the failed swap either: {}", id, old_name,
                       error);
            return id + ": " + next_name + " failed to start: " + failure;
        }
        replacement = std::move(again);
    }
    carry_stats(old.stats, replacement->stats);
    std::unique_ptr<Instance> previous;
    {
        std::unique_lock exclusive(graph_mutex_);
        previous = std::move(slot);
        slot = std::move(replacement);
    }
    between.unlock();
    previous.reset();
    if (!failure.empty())
        return id + ": " + next_name + " failed to start (" + failure + "); " + old_name +
               " runs again";
    log::info("{}: swapped {} -> {}", id, old_name, next_name);
    return {};
}

} // namespace mafio
