#include "pipeline/pipeline.hpp"

#include "pipeline/rate_limited_log.hpp"
#include "util/log.hpp"

#include <pthread.h>
#include <unistd.h> // gettid

#include <algorithm>

namespace mafio {

namespace {
// Linux thread names are at most 15 bytes.
void name_thread(const std::string &name) {
    pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
}
} // namespace

Pipeline::Pipeline(PipelineSettings settings)
    : settings_(settings), read_queue_(settings.read_channel_records, settings.channel_bytes) {}

Pipeline::~Pipeline() {
    // Joinable threads remain only after an expired grace period, when the process exits.
    for (auto &t : threads_)
        if (t.joinable()) t.detach();
    if (checkpointer_.joinable()) checkpointer_.detach();
}

void Pipeline::prepare_trackers() {
    if (trackers_.size() == inputs_.size()) return;
    for (const auto &in : inputs_) {
        CheckpointMap stored;
        std::unique_ptr<CheckpointStore> store;
        if (!settings_.data_dir.empty()) {
            // Keyed by position and plugin name, so falling back from V2 to V1 keeps the key.
            store = std::make_unique<CheckpointStore>(
                settings_.data_dir,
                "input-" + std::to_string(in->index()) + "-" + in->plugin().file().name);
            stored = store->load();
            if (!stored.empty())
                log::info("{}: resuming from {} stored checkpoint(s) in {}", in->label(),
                          stored.size(), store->path());
        }
        loaded_.push_back(stored);
        trackers_.push_back(std::make_unique<AckTracker>(std::move(stored)));
        stores_.push_back(std::move(store));
    }
}

std::vector<mafio_checkpoint> Pipeline::load_checkpoints(size_t input) {
    prepare_trackers();
    std::vector<mafio_checkpoint> views;
    for (const auto &[stream, bytes] : loaded_[input])
        views.push_back(mafio_checkpoint{stream, static_cast<uint32_t>(bytes.size()), bytes.data()});
    return views;
}

void Pipeline::finished(const Batch &b) {
    trackers_[b.input]->finish(b.seq, b.has_checkpoint, b.view.stream, b.checkpoint);
}

bool Pipeline::store_checkpoints() {
    bool stored = false;
    for (size_t i = 0; i < stores_.size(); ++i) {
        CheckpointMap map;
        if (!stores_[i] || !trackers_[i]->take_if_changed(map)) continue;
        std::string error;
        if (!stores_[i]->store(map, error))
            checkpoint_errors_.error(inputs_[i]->label(), "cannot store checkpoints: " + error);
        stored = true;
    }
    return stored;
}

// Stores committed checkpoints off the data path: a change is stored soon after it is
// committed, but never more often than every checkpoint_interval. (Storing only at the end of
// each interval would mean an agent killed more often than that never makes progress.)
// Runs until every pipeline thread has ended; wait() stores the last state.
void Pipeline::checkpoint_loop() {
    name_thread("checkpoint");
    using clock = std::chrono::steady_clock;
    const auto interval = settings_.checkpoint_interval;
    const auto step = std::min<std::chrono::milliseconds>(interval, std::chrono::milliseconds(50));
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

void Pipeline::run() {
    prepare_trackers();
    for (size_t i = 0; i < outputs_.size(); ++i)
        output_queues_.push_back(std::make_unique<BoundedQueue<SharedBatch>>(
            settings_.write_channel_records, settings_.channel_bytes));
    running_threads_ = inputs_.size() + 1 + outputs_.size();
    live_inputs_ = inputs_.size();
    for (size_t i = 0; i < outputs_.size(); ++i)
        threads_.emplace_back([this, i] { output_loop(i); });
    threads_.emplace_back([this] { filter_loop(); });
    for (auto &in : inputs_) threads_.emplace_back([this, p = in.get()] { input_loop(*p); });
    if (inputs_.empty()) read_queue_.close();
    checkpointer_ = std::thread([this] { checkpoint_loop(); });
}

void Pipeline::request_stop(const std::string &why) {
    std::lock_guard lock(mutex_);
    if (stopping_.exchange(true)) return;
    stop_deadline_ = std::chrono::steady_clock::now() + settings_.shutdown_grace;
    log::info("stopping ({}): draining, grace period {} ms", why,
              settings_.shutdown_grace.count());
    changed_.notify_all();
}

void Pipeline::finished_one_thread() {
    std::lock_guard lock(mutex_);
    --running_threads_;
    changed_.notify_all();
}

int Pipeline::wait() {
    std::unique_lock lock(mutex_);
    for (;;) {
        if (running_threads_ == 0) break;
        if (stopping_) {
            if (changed_.wait_until(lock, stop_deadline_) == std::cv_status::timeout &&
                running_threads_ > 0) {
                uint64_t pending = read_queue_.records();
                for (auto &q : output_queues_) pending += q->records();
                log::error("shutdown grace period expired with about {} records not yet "
                           "delivered; exiting anyway (they are read again on the next start "
                           "where the input keeps checkpoints)",
                           pending);
                lock.unlock();
                store_checkpoints(); // what was delivered stays delivered
                return exit_grace_expired;
            }
        } else {
            changed_.wait(lock);
        }
    }
    lock.unlock();
    for (auto &t : threads_) t.join();
    threads_.clear();
    if (checkpointer_.joinable()) checkpointer_.join();
    store_checkpoints();
    return input_failed_ ? exit_plugin_failed : exit_ok;
}

mafio_status Pipeline::emit(Instance &from, BatchPtr batch) {
    const mafio_batch &v = batch->view;
    if (v.count > v.records_capacity || v.arena_size > v.arena_capacity) {
        from.set_error("emitted a batch whose count or arena_size exceeds its capacity");
        from.stats.errors++;
        return MAFIO_ERR_INVALID;
    }
    from.stats.records_in.fetch_add(v.count, std::memory_order_relaxed);
    from.stats.bytes_in.fetch_add(v.arena_size, std::memory_order_relaxed);
    from.stats.batches.fetch_add(1, std::memory_order_relaxed);
    batch->seq = trackers_[from.index()]->begin();
    if (v.count == 0) { // nothing to deliver, but its checkpoint takes effect in order
        finished(*batch);
        return stopping() ? MAFIO_ERR_STOPPED : MAFIO_OK;
    }
    uint64_t records = v.count, bytes = v.arena_size;
    read_queue_.push(std::move(batch), records, bytes);
    return stopping() ? MAFIO_ERR_STOPPED : MAFIO_OK;
}

void Pipeline::input_loop(Instance &in) {
    name_thread("in:" + in.plugin().file().name);
    in.stats.thread_id = static_cast<int>(gettid()); // for /debug?cmd=go
    while (!stopping()) {
        mafio_status st = in.poll();
        if (st == MAFIO_OK) continue;
        if (st == MAFIO_RETRY) {
            std::unique_lock lock(mutex_);
            changed_.wait_for(lock, std::chrono::milliseconds(20), [&] { return stopping(); });
            continue;
        }
        if (st == MAFIO_EOF) {
            log::debug("{}: end of input", in.label());
            break;
        }
        in.stats.errors++;
        log::error("{}; this input stops", in.take_error(st));
        in.stats.stopped_on_error = true;
        input_failed_ = true;
        break;
    }
    if (live_inputs_.fetch_sub(1) == 1) read_queue_.close(); // the last input closes the queue
    finished_one_thread();
}

void Pipeline::filter_loop() {
    name_thread("filter");
    for (auto &f : filters_) f->stats.thread_id = static_cast<int>(gettid());
    RateLimitedLog errors;
    while (auto batch = read_queue_.pop()) {
        mafio_batch &v = (*batch)->view;
        for (auto &f : filters_) {
            uint32_t before = v.count;
            f->stats.records_in.fetch_add(before, std::memory_order_relaxed);
            f->stats.batches.fetch_add(1, std::memory_order_relaxed);
            mafio_status st = f->process(&v);
            if (st != MAFIO_OK) {
                f->stats.errors++;
                errors.error(f->label(), f->take_error(st) + "; the batch passes on as it is");
            }
            v.count = std::min(v.count, v.records_capacity); // a buggy filter cannot overrun
            if (v.count < before) f->stats.records_dropped.fetch_add(before - v.count);
            f->stats.records_out.fetch_add(v.count, std::memory_order_relaxed);
        }
        if (v.count == 0) { // filters removed everything: finished now
            finished(**batch);
            continue;
        }
        // The last output to let go of the batch finishes it.
        SharedBatch shared(batch->release(), [this](const Batch *b) {
            finished(*b);
            batch_free(const_cast<Batch *>(b));
        });
        for (auto &q : output_queues_) q->push(shared, v.count, v.arena_size);
    }
    for (auto &q : output_queues_) q->close();
    finished_one_thread();
}

void Pipeline::output_loop(size_t index) {
    Instance &out = *outputs_[index];
    name_thread("out:" + out.plugin().file().name);
    out.stats.thread_id = static_cast<int>(gettid());
    auto &queue = *output_queues_[index];
    OutputState state;
    while (auto batch = queue.pop()) deliver(out, state, **batch);
    out.flush();
    finished_one_thread();
}

// Hands one batch to an output in bulks of at most write_bulk_records, retrying transient
// failures with exponential backoff and giving up (counted, logged) on permanent ones.
void Pipeline::deliver(Instance &out, OutputState &state, const Batch &batch) {
    const mafio_batch &v = batch.view;
    out.stats.records_in.fetch_add(v.count, std::memory_order_relaxed);
    out.stats.batches.fetch_add(1, std::memory_order_relaxed);
    if (state.closed) {
        out.stats.records_failed.fetch_add(v.count, std::memory_order_relaxed);
        return;
    }
    uint32_t first = 0;
    auto backoff = out.retry_initial;
    while (first < v.count) {
        uint32_t n = std::min(v.count - first, settings_.write_bulk_records);
        uint32_t done = 0;
        mafio_status st = out.write(&v, first, n, &done);
        if (st == MAFIO_OK) {
            out.stats.note_success();
            out.stats.records_out.fetch_add(n, std::memory_order_relaxed);
            first += n;
            backoff = out.retry_initial;
            continue;
        }
        out.stats.note_failure();
        done = std::min(done, n);
        out.stats.records_out.fetch_add(done, std::memory_order_relaxed);
        first += done;
        if (st == MAFIO_RETRY) {
            out.stats.retries++;
            std::this_thread::sleep_for(backoff);
            backoff = std::min(backoff * 2, out.retry_max);
            continue;
        }
        uint32_t lost = v.count - first;
        out.stats.records_failed.fetch_add(lost, std::memory_order_relaxed);
        if (st == MAFIO_ERR_CLOSED) {
            state.closed = true;
            log::info("{}: destination closed; {} records not written", out.label(), lost);
            request_stop("an output's destination closed");
            return;
        }
        out.stats.errors++;
        state.errors.error(out.label(),
                     out.take_error(st) + "; " + std::to_string(n - done) + " records failed");
        first += n - done;
    }
}

} // namespace mafio
