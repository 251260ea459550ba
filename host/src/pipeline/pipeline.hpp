// The running pipeline: one thread per input, one filter thread running the whole chain, one
// thread per output. Data flow and shutdown are described in DESIGN.md ("Data flow").
//
//   inputs --emit--> [read queue] --> filter chain --> [queue per output] --> output threads
//
// Queues are bounded (records, and bytes as a guard against huge lines); a full queue blocks
// its producer. Every output gets every batch in order; the slowest output sets the pace.
#pragma once

#include "pipeline/ack_tracker.hpp"
#include "pipeline/batch.hpp"
#include "pipeline/bounded_queue.hpp"
#include "pipeline/checkpoint_store.hpp"
#include "pipeline/instance.hpp"
#include "pipeline/rate_limited_log.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace mafio {

struct PipelineSettings {
    uint32_t read_channel_records = 4096;
    uint32_t write_channel_records = 4096;
    uint32_t write_bulk_records = 500;
    // A guard for inputs with huge records: no queue holds more bytes than this (a single
    // batch larger than it still passes, alone).
    uint64_t channel_bytes = 16u << 20;
    std::chrono::milliseconds shutdown_grace{5000};
    // Where committed checkpoints are stored, and how often at most. Empty: not stored.
    std::string data_dir;
    std::chrono::milliseconds checkpoint_interval{1000};
};

// Exit codes of the agent, documented in the README.
enum ExitCode : int {
    exit_ok = 0,
    exit_config = 1,         // bad usage, configuration or plugin: nothing started
    exit_plugin_failed = 2,  // a plugin failed at start or an input failed at run time
    exit_grace_expired = 3,  // stopped before everything was delivered
};

class Pipeline final : public EmitSink {
public:
    explicit Pipeline(PipelineSettings settings);
    ~Pipeline() override;

    // Instances are created (and started) by the caller, in the pipeline's order.
    void add_input(std::unique_ptr<Instance> i) { inputs_.push_back(std::move(i)); }
    void add_filter(std::unique_ptr<Instance> f) { filters_.push_back(std::move(f)); }
    void add_output(std::unique_ptr<Instance> o) { outputs_.push_back(std::move(o)); }

    const std::vector<std::unique_ptr<Instance>> &inputs() const { return inputs_; }
    const std::vector<std::unique_ptr<Instance>> &filters() const { return filters_; }
    const std::vector<std::unique_ptr<Instance>> &outputs() const { return outputs_; }

    // Loads the stored checkpoints of every input (after all inputs were added). Returns them
    // as start() takes them; the views stay valid until the pipeline is destroyed.
    std::vector<mafio_checkpoint> load_checkpoints(size_t input);

    // Starts the threads. Call once, after every instance was started.
    void run();
    // Blocks until everything drained (all inputs ended) or, once a stop was requested, the
    // grace period ran out. Returns the exit code. Joins the threads unless grace expired.
    int wait();

    // Ask the inputs to stop; everything already read is still delivered. Any thread.
    void request_stop(const std::string &why);
    bool stopping() const override { return stopping_.load(std::memory_order_relaxed); }

    mafio_status emit(Instance &from, BatchPtr batch) override;
    // A quarter of the smaller channel bound, so that a channel holds several batches (the
    // producer fills one while the consumer works on another) and its record bound is kept
    // batch by batch instead of being exceeded by one oversized batch.
    uint32_t max_batch_records() const override {
        return std::max<uint32_t>(
            1, std::min(settings_.read_channel_records, settings_.write_channel_records) / 4);
    }

    uint64_t read_queue_records() const { return read_queue_.records(); }
    // 0 before run() (the trackers are made there, before any thread that could ask).
    uint64_t unfinished_batches(size_t input) const {
        return input < trackers_.size() ? trackers_[input]->unfinished() : 0;
    }
    uint64_t output_queue_records(size_t i) const { return output_queues_[i]->records(); }

    // Read-only views for the monitoring API (http/, metrics/). Any thread, after run().
    uint64_t read_queue_bytes() const { return read_queue_.bytes(); }
    uint64_t read_queue_capacity() const { return read_queue_.max_records(); }
    size_t output_queue_count() const { return output_queues_.size(); }
    uint64_t output_queue_bytes(size_t i) const { return output_queues_[i]->bytes(); }
    uint64_t output_queue_capacity(size_t i) const { return output_queues_[i]->max_records(); }
    const PipelineSettings &settings() const { return settings_; }

private:
    void input_loop(Instance &in);
    void filter_loop();
    void output_loop(size_t index);
    struct OutputState {
        RateLimitedLog errors;
        bool closed = false; // the destination closed: later batches are counted, not written
    };
    void deliver(Instance &out, OutputState &state, const Batch &batch);
    void finished_one_thread();
    void prepare_trackers();
    void checkpoint_loop();
    bool store_checkpoints(); // true if any input had changes to store
    // A batch is finished: every output is done with it, or filters emptied it.
    void finished(const Batch &batch);

    PipelineSettings settings_;
    std::vector<std::unique_ptr<Instance>> inputs_, filters_, outputs_;
    BoundedQueue<BatchPtr> read_queue_;
    std::vector<std::unique_ptr<BoundedQueue<SharedBatch>>> output_queues_;
    std::vector<std::thread> threads_;
    std::vector<std::unique_ptr<AckTracker>> trackers_;        // one per input
    std::vector<std::unique_ptr<CheckpointStore>> stores_;     // one per input, or empty
    std::vector<CheckpointMap> loaded_;                        // backs load_checkpoints' views
    std::thread checkpointer_;
    RateLimitedLog checkpoint_errors_;

    std::atomic<bool> stopping_{false};
    std::atomic<bool> input_failed_{false};
    std::atomic<size_t> live_inputs_{0};

    std::mutex mutex_; // guards the members below
    std::condition_variable changed_;
    size_t running_threads_ = 0;
    std::chrono::steady_clock::time_point stop_deadline_{};
};

} // namespace mafio
