// The data path: an input's thread polls, runs its route's filters on each emitted batch and
// pushes the result to the route's output queues; each output's thread writes what it pops.
// Per batch, never per record: one tracker entry, one filter call per filter, one queue push
// per output.
#include "pipeline/pipeline.hpp"

#include "util/log.hpp"

#include <pthread.h>
#include <unistd.h> // gettid

namespace mafio {

namespace {

// Linux thread names are at most 15 bytes.
void name_thread(const std::string &name) {
    pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
}

// How long an input that never asked for scheduling waits after MAFIO_RETRY (ABI 1.0 rule).
constexpr std::chrono::milliseconds unscheduled_pause{20};

} // namespace

void Pipeline::finished(const Batch &b) {
    for (const auto &carried : b.carries) // their held records were in this batch
        finish_held(*carried);
    if (b.held) { // filters kept records of it: the carriers' deliveries finish it
        HeldBatch &h = *b.held;
        h.input = b.input;
        h.seq = b.seq;
        h.has_checkpoint = b.has_checkpoint;
        h.stream = b.view.stream;
        h.checkpoint = b.checkpoint;
        finish_held(h);
        return;
    }
    if (commits_closed_.load(std::memory_order_relaxed)) return;
    inputs_state_[b.input]->tracker.finish(b.seq, b.has_checkpoint, b.view.stream, b.checkpoint);
}

void Pipeline::finish_held(HeldBatch &h) {
    if (h.waiting.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
    if (commits_closed_.load(std::memory_order_relaxed)) return;
    inputs_state_[h.input]->tracker.finish(h.seq, h.has_checkpoint, h.stream,
                                           std::move(h.checkpoint));
}

mafio_status Pipeline::emit(Instance &from, BatchPtr batch) {
    mafio_batch &v = batch->view;
    if (v.count > v.records_capacity || v.arena_size > v.arena_capacity) {
        from.set_error("emitted a batch whose count or arena_size exceeds its capacity");
        from.stats.errors++;
        return MAFIO_ERR_INVALID;
    }
    const mafio_status ok = instance_stopping(from) ? MAFIO_ERR_STOPPED : MAFIO_OK;
    InputState &in = *inputs_state_[from.index()];
    from.stats.records_in.fetch_add(v.count, std::memory_order_relaxed);
    from.stats.bytes_in.fetch_add(v.arena_size, std::memory_order_relaxed);
    from.stats.batches.fetch_add(1, std::memory_order_relaxed);
    batch->seq = in.tracker.begin();
    batch->tag = in.batch_tag.load(std::memory_order_relaxed);
    continue_route(from.index(), std::move(batch), in.route, 0);
    return ok;
}

void Pipeline::continue_route(size_t input, BatchPtr batch, const Route &route, size_t first) {
    mafio_batch &v = batch->view;
    InputState &in = *inputs_state_[input];
    if (route.outputs.empty()) { // nothing takes this tag: acknowledged, counted
        in.unrouted.fetch_add(v.count, std::memory_order_relaxed);
        finished(*batch);
        return;
    }
    std::vector<Retagged> retagged; // stays empty (no allocation) unless a filter retags
    for (size_t pos = first; pos < route.filters.size(); ++pos) {
        // An ending batch is empty on purpose: every filter gets it (mafio/ext/hold.h).
        if (v.count == 0 && !batch->ending) break;
        const size_t fi = route.filters[pos];
        FilterState &fs = *filters_state_[fi];
        wait_while_paused(fs.control);
        const uint32_t before = v.count;
        // The filter's instance is read under `calls`: a swap exchanges it holding that lock.
        std::lock_guard calls(fs.calls);
        if (fs.stopped.load(std::memory_order_relaxed)) continue;
        Instance &f = *filters_[fi];
        const mafio_status st = f.process(&v);
        if (st != MAFIO_OK)
            fs.errors.error(f.label(), f.take_error(st) + "; the batch passes on as it is");
        f.stats.records_in.fetch_add(before, std::memory_order_relaxed);
        f.stats.batches.fetch_add(1, std::memory_order_relaxed);
        if (st != MAFIO_OK) f.stats.errors++;
        v.count = std::min(v.count, v.records_capacity); // a buggy filter cannot overrun
        const uint64_t sent_on =
            fs.retagged.empty() ? 0 : collect_retagged(fs, fi, *batch, retagged);
        if (v.count + sent_on < before)
            f.stats.records_dropped.fetch_add(before - v.count - sent_on,
                                              std::memory_order_relaxed);
        f.stats.records_out.fetch_add(v.count + sent_on, std::memory_order_relaxed);
    }
    if (!retagged.empty()) dispatch_retagged(input, v.stream, retagged);
    if (v.count == 0) { // filters removed everything: finished now
        finished(*batch);
        return;
    }
    const uint64_t records = v.count, bytes = v.arena_size;
    // The last output to let go of the batch finishes it. A push refused by a closed queue
    // (the grace period ran out) lets go at once; commits are closed by then.
    SharedBatch shared(batch.release(), [this](const Batch *b) {
        finished(*b);
        batch_free(const_cast<Batch *>(b));
    });
    for (size_t oi : route.outputs)
        outputs_state_[oi]->queue.push(shared, records, bytes);
}

void Pipeline::input_loop(size_t index) {
    Instance &in = *inputs_[index];
    InputState &state = *inputs_state_[index];
    name_thread("in:" + in.id());
    in.stats.thread_id = static_cast<int>(gettid()); // for /debug?cmd=go
    // A swapped-in instance has a Wakeup of its own: it learns the filters' pending call time.
    if (const int64_t at = state.held_call_at.load(); at != 0) in.wakeup.host_wake_at(at);
    if (state.scheduled) {
        scheduled_input_loop(index); // runs at ticks until the agent stops
        return;
    }
    while (!instance_stopping(in) && !state.swapping.load(std::memory_order_relaxed)) {
        if (state.control.paused.load(std::memory_order_relaxed)) {
            in.wakeup.wait(std::chrono::milliseconds(-1)); // resume, stop and pause notify
            continue;
        }
        // A filter's process_at time (mafio.hold.v1) has come: the held records go on first.
        if (state.held_call_at.load(std::memory_order_relaxed) != 0)
            release_held_of_input(index, false);
        mafio_status st = in.poll();
        if (st == MAFIO_OK) continue;
        if (st == MAFIO_RETRY) {
            in.wakeup.wait(unscheduled_pause);
            continue;
        }
        if (st == MAFIO_EOF) {
            // An error set with it (a failed exec:V1 command) matters to a schedule only; the
            // plugin has logged it. Taken here so it cannot stand for a later failure.
            if (in.has_error()) (void)in.take_error(st);
            log::debug("{}: end of input", in.label());
            break;
        }
        in.stats.errors++;
        log::error("{}; this input stops", in.take_error(st));
        in.stats.stopped_on_error = true;
        input_failed_ = true;
        break;
    }
    // The input ends: filters release everything they hold of it, so nothing is left
    // unacknowledged. Not when its thread is only paused (swapping): a swap releases in
    // quiesce_input, a reload only for the filters an input leaves (apply_topology).
    if (!state.swapping.load(std::memory_order_relaxed)) release_held_of_input(index, true);
    input_ended(index);
}

// The last input routed to an output closes its queue, so the output drains and ends. An input
// whose thread ends for a swap keeps its routes: its replacement takes over at once.
void Pipeline::input_ended(size_t index) {
    if (inputs_state_[index]->swapping.load()) return;
    std::vector<size_t> to_close;
    {
        std::lock_guard lock(mutex_);
        for (size_t oi : inputs_state_[index]->route.feeds)
            if (--outputs_state_[oi]->producers == 0) to_close.push_back(oi);
        inputs_state_[index]->thread_done = true;
    }
    for (size_t oi : to_close)
        outputs_state_[oi]->queue.close();
    finished_one_thread();
}

void Pipeline::wait_while_paused(Control &c) {
    if (!c.paused.load(std::memory_order_relaxed)) return;
    std::unique_lock lock(c.mutex);
    c.resumed.wait(lock, [&] { return !c.paused.load() || stopping(); });
}

void Pipeline::output_loop(size_t index) {
    OutputState &state = *outputs_state_[index];
    name_thread("out:" + outputs_[index]->id());
    const int tid = static_cast<int>(gettid());
    outputs_[index]->stats.thread_id = tid;
    state.thread_id = tid;
    while (auto batch = state.queue.pop()) {
        wait_while_paused(state.control);
        deliver(index, **batch);
    }
    {
        std::lock_guard calls(state.calls);
        outputs_[index]->flush();
    }
    {
        std::lock_guard lock(mutex_);
        state.thread_done = true;
    }
    finished_one_thread();
}

// Sleeps `delay` unless the grace period runs out first. False: give up.
bool Pipeline::backoff(OutputState &out, std::chrono::milliseconds delay) {
    std::unique_lock lock(out.control.mutex);
    out.control.resumed.wait_for(lock, delay, [&] { return out.abandon.load(); });
    return !out.abandon.load();
}

// Hands one batch to an output in bulks of at most write_bulk_records, retrying transient
// failures with exponential backoff and giving up (counted, logged) on permanent ones. The
// output's instance is read under `calls` for each bulk, and `calls` is not held during a
// backoff: a swap can exchange the instance between two writes, and the new one gets the rest.
void Pipeline::deliver(size_t index, const Batch &batch) {
    OutputState &state = *outputs_state_[index];
    const mafio_batch &v = batch.view;
    std::unique_lock calls(state.calls);
    Instance *out = outputs_[index].get();
    out->stats.records_in.fetch_add(v.count, std::memory_order_relaxed);
    out->stats.batches.fetch_add(1, std::memory_order_relaxed);
    if (state.abandon) return; // not delivered; read again on the next start
    if (state.closed) {
        out->stats.records_failed.fetch_add(v.count, std::memory_order_relaxed);
        return;
    }
    uint32_t first = 0;
    auto delay = out->retry_initial;
    state.in_flight.store(v.count, std::memory_order_relaxed);
    while (first < v.count) {
        if (!calls.owns_lock()) {
            calls.lock();
            out = outputs_[index].get();
        }
        uint32_t n = std::min(v.count - first, settings_.write_bulk_records);
        uint32_t done = 0;
        mafio_status st = out->write(&v, first, n, &done);
        if (st == MAFIO_OK) {
            out->stats.note_success();
            out->stats.records_out.fetch_add(n, std::memory_order_relaxed);
            first += n;
            state.in_flight.store(v.count - first, std::memory_order_relaxed);
            delay = out->retry_initial;
            continue;
        }
        out->stats.note_failure();
        done = std::min(done, n);
        out->stats.records_out.fetch_add(done, std::memory_order_relaxed);
        first += done;
        state.in_flight.store(v.count - first, std::memory_order_relaxed);
        if (st == MAFIO_RETRY) {
            out->stats.retries++;
            const auto retry_max = out->retry_max;
            calls.unlock();
            if (!backoff(state, delay)) return; // abandoned: the rest is read again later
            delay = std::min(delay * 2, retry_max);
            continue;
        }
        if (st == MAFIO_ERR_CLOSED) {
            const uint32_t lost = v.count - first;
            out->stats.records_failed.fetch_add(lost, std::memory_order_relaxed);
            state.closed = true;
            state.in_flight.store(0, std::memory_order_relaxed);
            log::info("{}: destination closed; {} records not written", out->label(), lost);
            request_stop("an output's destination closed");
            return;
        }
        out->stats.errors++;
        out->stats.records_failed.fetch_add(n - done, std::memory_order_relaxed);
        state.errors.error(out->label(), out->take_error(st) + "; " + std::to_string(n - done) +
                                             " records failed");
        first += n - done;
        state.in_flight.store(v.count - first, std::memory_order_relaxed);
    }
    state.in_flight.store(0, std::memory_order_relaxed);
}

} // namespace mafio
