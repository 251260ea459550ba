// Pausing, resuming, draining and stopping one component while the others run. These are the
// building blocks of live reconfiguration (swap and reload drain and stop one component).
#include "pipeline/pipeline.hpp"

#include "util/log.hpp"

namespace mafio {

int Pipeline::index_of(const std::vector<std::unique_ptr<Instance>> &list,
                       const std::string &id) const {
    for (size_t i = 0; i < list.size(); ++i)
        if (!list[i]->retired && list[i]->id() == id) return static_cast<int>(i);
    return -1;
}

namespace {
std::string unknown(const std::string &id) {
    return "no component with id \"" + id + "\"";
}
} // namespace

std::string Pipeline::pause(const std::string &id) {
    if (int i = index_of(inputs_, id); i >= 0) {
        inputs_state_[i]->control.paused = true;
        inputs_[i]->wakeup.notify();
    } else if (int f = index_of(filters_, id); f >= 0) {
        filters_state_[f]->control.paused = true;
    } else if (int o = index_of(outputs_, id); o >= 0) {
        outputs_state_[o]->control.paused = true;
    } else {
        return unknown(id);
    }
    log::info("{}: paused", id);
    return {};
}

std::string Pipeline::resume(const std::string &id) {
    Control *c = nullptr;
    if (int i = index_of(inputs_, id); i >= 0) {
        inputs_state_[i]->control.paused = false;
        inputs_[i]->wakeup.notify();
        log::info("{}: resumed", id);
        return {};
    }
    if (int f = index_of(filters_, id); f >= 0) c = &filters_state_[f]->control;
    if (int o = index_of(outputs_, id); o >= 0) c = &outputs_state_[o]->control;
    if (!c) return unknown(id);
    {
        std::lock_guard lock(c->mutex);
        c->paused = false;
    }
    c->resumed.notify_all();
    log::info("{}: resumed", id);
    return {};
}

bool Pipeline::paused(const std::string &id) const {
    if (int i = index_of(inputs_, id); i >= 0) return inputs_state_[i]->control.paused;
    if (int f = index_of(filters_, id); f >= 0) return filters_state_[f]->control.paused;
    if (int o = index_of(outputs_, id); o >= 0) return outputs_state_[o]->control.paused;
    return false;
}

std::string Pipeline::drain(const std::string &id, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    if (int i = index_of(inputs_, id); i >= 0) {
        if (inputs_state_[i]->tracker.wait_drained(deadline)) return {};
        return id + ": " + std::to_string(inputs_state_[i]->tracker.unfinished()) +
               " batch(es) still unacknowledged after " + std::to_string(timeout.count()) + " ms";
    }
    if (index_of(filters_, id) >= 0) return {}; // a filter holds nothing between calls
    int o = index_of(outputs_, id);
    if (o < 0) return unknown(id);
    if (outputs_state_[o]->control.paused) return id + ": is paused; resume it to drain it";
    OutputState &out = *outputs_state_[o];
    for (;;) {
        if (out.queue.records() == 0 && out.in_flight.load() == 0) return {};
        if (std::chrono::steady_clock::now() >= deadline)
            return id + ": " + std::to_string(out.queue.records() + out.in_flight.load()) +
                   " record(s) still queued after " + std::to_string(timeout.count()) + " ms";
        out.queue.wait_empty_for(std::chrono::milliseconds(50));
    }
}

std::string Pipeline::stop_component(const std::string &id, std::chrono::milliseconds timeout) {
    if (int f = index_of(filters_, id); f >= 0) {
        // Between two process() calls: from now on the inputs' batches pass it by.
        FilterState &fs = *filters_state_[f];
        std::unique_lock calls(fs.calls, std::defer_lock);
        if (!calls.try_lock_for(timeout)) return id + ": still inside a call; not stopped";
        if (fs.stopped.exchange(true)) return id + ": already stopped";
        release_all_held_by(static_cast<size_t>(f));
        filters_[f]->flush();
        filters_[f]->stop();
        log::info("{}: stopped; batches pass it by from now on", filters_[f]->label());
        return {};
    }
    if (int o = index_of(outputs_, id); o >= 0) {
        OutputState &out = *outputs_state_[o];
        if (out.stopped.exchange(true)) return id + ": already stopped";
        // No input pushes to it any more (a push racing with this is refused by the closed
        // queue); what its queue holds is still written, then it flushes and its thread ends.
        out.queue.close();
        out.control.paused = false;
        out.control.resumed.notify_all();
        std::unique_lock lock(mutex_);
        const bool ended = changed_.wait_for(lock, timeout, [&] { return out.thread_done.load(); });
        lock.unlock();
        if (!ended) return id + ": still writing after " + std::to_string(timeout.count()) + " ms";
        std::lock_guard calls(out.calls);
        outputs_[o]->stop();
        log::info("{}: stopped; its queue was written out first", outputs_[o]->label());
        return {};
    }
    int i = index_of(inputs_, id);
    if (i < 0) return unknown(id);
    InputState &state = *inputs_state_[i];
    state.control.stop = true;
    state.control.paused = false;
    inputs_[i]->wakeup.notify();
    if (state.thread.joinable()) state.thread.join();
    std::string problem = drain(id, timeout);
    store_checkpoints();
    inputs_[i]->stop();
    log::info("{}: stopped{}", inputs_[i]->label(), problem.empty() ? "" : " (" + problem + ")");
    return problem;
}

} // namespace mafio
