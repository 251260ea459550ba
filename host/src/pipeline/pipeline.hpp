// The running component graph (docs/architecture.md):
//
//   input thread: poll -> emit -> [its route's filters, in config order] --push--> output queues
//   output thread (one per output): pop -> write in bulks -> let go of the batch
//
// Every input has a route computed once, before anything runs: the filters and outputs whose
// `match` globs take its tag. Filters run on the emitting input's thread, so a batch crosses a
// thread only once (into an output's queue) and one input's filters never wait for another's;
// a filter that several inputs route through is called by one of them at a time. A batch that
// no output takes is acknowledged at once and counted as unrouted. A batch is finished when
// every output it was pushed to let go of it (or filters emptied it); checkpoints take effect
// in emit order per input and are stored by component id.
//
// Queues are bounded in records (and bytes); a full queue blocks its producer. Every component
// can be paused, resumed, drained and (inputs) stopped alone (pipeline_control.cpp).
#pragma once

#include "metrics/agent_snapshot.hpp"
#include "pipeline/ack_tracker.hpp"
#include "pipeline/batch.hpp"
#include "pipeline/bounded_queue.hpp"
#include "pipeline/checkpoint_store.hpp"
#include "pipeline/instance.hpp"
#include "pipeline/rate_limited_log.hpp"
#include "pipeline/run_clock.hpp"
#include "schedule/clock_jump.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
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
    // Where committed checkpoints (<data_dir>/checkpoints/<id>.ckpt) and the components' own
    // directories (<data_dir>/components/<id>/) live, and how often checkpoints are stored at
    // most. Empty: nothing is stored.
    std::string data_dir;
    std::chrono::milliseconds checkpoint_interval{1000};
};

// Exit codes of the agent, documented in the README.
enum ExitCode : int {
    exit_ok = 0,
    exit_config = 1,            // bad usage, configuration or plugin: nothing started
    exit_plugin_failed = 2,     // a plugin failed at start or an input failed at run time
    exit_grace_expired = 3,     // stopped before everything was delivered
    exit_checkpoint_failed = 4, // delivered, but the last checkpoints could not be stored
};

class Pipeline final : public EmitSink {
public:
    // The most components of one kind over the agent's life (reloads included).
    static constexpr size_t max_components = 1024;

    explicit Pipeline(PipelineSettings settings);
    ~Pipeline() override;

    // Components are created by the caller and added here, each kind in config order, before
    // load_checkpoints/run. `tag` is what an input's batches carry; `match` the globs a filter
    // or output takes (empty: everything).
    void add_input(std::unique_ptr<Instance> i, std::string tag);
    void add_filter(std::unique_ptr<Instance> f, std::vector<std::string> match);
    void add_output(std::unique_ptr<Instance> o, std::vector<std::string> match);

    const std::vector<std::unique_ptr<Instance>> &inputs() const { return inputs_; }
    const std::vector<std::unique_ptr<Instance>> &filters() const { return filters_; }
    const std::vector<std::unique_ptr<Instance>> &outputs() const { return outputs_; }

    // The per-component directory handed to create(): <data_dir>/components/<id>/, or "" when
    // the agent keeps no state. make_component_dirs() creates them (not in -check).
    std::string component_dir(const std::string &id) const;
    void make_component_dirs() const;

    // The stored checkpoints of input `input` that its plugin reads, as start() takes them;
    // the views stay valid until the pipeline is destroyed. Adopts a 0.3 file on first use.
    std::vector<mafio_checkpoint> load_checkpoints(size_t input);

    // Computes every input's route once, after the last add (build_pipeline does).
    void connect();
    // The route of an input: indices into filters() and outputs(). Valid after connect().
    struct Route {
        std::vector<size_t> filters;
        std::vector<size_t> outputs;
        // The outputs its batches may reach, retagged records (mafio.retag.v1) included: every
        // output once a filter is on the route. Producer counts (when a queue closes) use it.
        std::vector<size_t> feeds;
    };
    const Route &route(size_t input) const { return inputs_state_[input]->route; }

    // Starts the threads. Call once, after every instance was started.
    void run();
    // Blocks until everything drained (all inputs ended) or, once a stop was requested, the
    // grace period ran out. Returns the exit code. Joins the threads unless some are stuck
    // inside a plugin after the grace period (then the caller must _exit).
    int wait();
    bool threads_joined() const { return threads_joined_; }

    // Ask the inputs to stop; everything already read is still delivered. Any thread.
    void request_stop(const std::string &why);
    bool stopping() const override { return stopping_.load(std::memory_order_relaxed); }
    bool instance_stopping(const Instance &in) const override;

    mafio_status emit(Instance &from, BatchPtr batch) override;
    // mafio.hold.v1 (pipeline_held.cpp), from inside a filter's process().
    void hold(Instance &filter, Batch &batch) override;
    void release(Instance &filter, Batch &batch) override;
    void process_at(Instance &filter, const Batch &batch, int64_t monotonic_ns) override;
    // mafio.retag.v1 (pipeline_retag.cpp), from inside a filter's process().
    void retag(Instance &filter, const Batch &batch, uint32_t index, std::string_view tag) override;
    // A quarter of the smaller channel bound, so that a channel holds several batches (the
    // producer fills one while the consumer works on another) and its record bound is kept
    // batch by batch instead of being exceeded by one oversized batch.
    uint32_t max_batch_records() const override {
        return std::max<uint32_t>(
            1, std::min(settings_.read_channel_records, settings_.write_channel_records) / 4);
    }

    // ---- Per-component control (any thread but the component's own). Each returns an empty
    // string on success, else why not. `id` is a component id.
    std::string pause(const std::string &id);
    std::string resume(const std::string &id);
    // Waits until nothing the component took is still in flight: an input's batches are all
    // acknowledged, an output's queue is empty and it is not writing. Filters hold nothing.
    std::string drain(const std::string &id, std::chrono::milliseconds timeout);
    // Stops one component alone. An input: ends its thread, drains it, stores its checkpoints,
    // stop()s it. A filter: between two calls, flush()es and stop()s it; batches pass it by
    // from then on. An output: takes no more batches (acknowledgement no longer waits for it),
    // writes what its queue holds, flush()es, and is stop()ped once its thread ended.
    std::string stop_component(const std::string &id, std::chrono::milliseconds timeout);
    bool paused(const std::string &id) const;

    // Live swap of one input (pipeline_swap.cpp): quiesce the running instance, wait until all
    // its batches are acknowledged (at most `timeout`, else the old one resumes and nothing
    // changed), store its checkpoints, stop it, and start `replacement` (created by the caller
    // for the same id, index and sink) on the same slot with those checkpoints. Refused, with
    // nothing changed, when the replacement does not read the stored checkpoint format unless
    // `reset_position`. If the replacement fails to start, a new instance of the old plugin
    // with the old options takes the slot again. Returns "" or why not. Not on an input thread.
    std::string swap_input(const std::string &id, std::unique_ptr<Instance> replacement,
                           bool reset_position, std::chrono::milliseconds timeout);
    // Live swap of a filter or an output: wait (at most `timeout`) until the old instance is
    // between two calls (an output: between two writes, which is also during a retry
    // backoff), flush and stop it, start `replacement`, and exchange them; the next batch or
    // the rest of the current one goes to the new instance. If the replacement fails to start,
    // a new instance of the old plugin takes the slot again.
    std::string swap_filter_or_output(const std::string &id, std::unique_ptr<Instance> replacement,
                                      std::chrono::milliseconds timeout);
    // A reload's change of the graph itself (pipeline_topology.cpp), applied while every input
    // thread is held between two polls: components removed (inputs stop and their checkpoints
    // are stored as their batches are acknowledged; a filter is flushed and stopped; an output
    // writes out its queue first), components added (created by the caller with indices from
    // next_index(), started here: outputs and filters before inputs), and every input's tag and
    // every filter's and output's match as the new configuration has them, filters in its
    // order. Routes change at once for all inputs. Nothing changes when an added component
    // fails to start, or a route would lead to an output that has ended. "" or why not.
    struct TopologyPlan {
        std::vector<std::string> remove;
        std::vector<std::unique_ptr<Instance>> add_inputs, add_filters, add_outputs;
        std::vector<std::pair<std::string, std::string>> tags;                 // input id, tag
        std::vector<std::pair<std::string, std::vector<std::string>>> matches; // id, globs
        std::vector<std::string> filter_order; // every live filter's id, in config order
    };
    std::string apply_topology(TopologyPlan plan, std::chrono::milliseconds timeout);
    // The index the next component of `kind` added gets.
    uint32_t next_index(mafio_kind kind) const;

    // Which kind of component `id` is, or 0 when there is none.
    int kind_of(const std::string &id) const;
    // What a swap needs to know of the instance running as `id` now (copies); nullopt when there
    // is no such component. Any thread.
    struct Slot {
        int kind = 0;
        std::shared_ptr<LoadedPlugin> plugin;
        std::string where, options_json, data_dir;
        uint32_t index = 0;
    };
    std::optional<Slot> slot(const std::string &id) const;

    // Held (shared) while reading the component lists from another thread; a swap holds it
    // exclusively while it replaces an instance.
    std::shared_lock<std::shared_mutex> read_lock() const { return std::shared_lock(graph_mutex_); }

    // Read-only views for the monitoring API (http/, metrics/). Any thread, after run().
    uint64_t unfinished_batches(size_t input) const {
        return input < inputs_state_.size() ? inputs_state_[input]->tracker.unfinished() : 0;
    }
    uint64_t unrouted_records(size_t input) const {
        return inputs_state_[input]->unrouted.load(std::memory_order_relaxed);
    }
    bool checkpoint_store_failing(size_t input) const {
        return inputs_state_[input]->store_failing.load(std::memory_order_relaxed);
    }
    const std::string &input_tag(size_t input) const { return inputs_state_[input]->tag(); }
    const std::string *current_tag(const Instance &input) const override {
        return inputs_state_[input.index()]->batch_tag.load(std::memory_order_relaxed);
    }
    // A scheduled input's runs; nullopt for one without a schedule.
    std::optional<ScheduleSnapshot> schedule_snapshot(size_t input) const;
    const std::vector<std::string> &filter_match(size_t i) const {
        return filters_state_[i]->match;
    }
    const std::vector<std::string> &output_match(size_t i) const {
        return outputs_state_[i]->match;
    }
    size_t output_queue_count() const { return outputs_state_.size(); }
    uint64_t output_queue_records(size_t i) const { return outputs_state_[i]->queue.records(); }
    uint64_t output_queue_bytes(size_t i) const { return outputs_state_[i]->queue.bytes(); }
    uint64_t output_queue_capacity(size_t i) const {
        return outputs_state_[i]->queue.max_records();
    }
    const PipelineSettings &settings() const { return settings_; }

private:
    // Runtime state beside each instance, index for index with inputs_/filters_/outputs_.
    struct Control {
        std::atomic<bool> paused{false};
        std::atomic<bool> stop{false}; // this component alone is being stopped
        std::mutex mutex;              // with `resumed`, for filters and outputs that wait
        std::condition_variable resumed;
    };
    // A scheduled input's state across its runs and thread restarts (pipeline_schedule.cpp).
    struct ScheduledInput {
        ScheduledInput(InputScheduleSpec s, RunClock c) : spec(std::move(s)), clock(std::move(c)) {}
        const InputScheduleSpec spec;
        mutable std::mutex mutex; // guards what snapshots read: clock and the fields below
        RunClock clock;
        bool begun = false;              // clock.begin() was called (input thread only)
        std::atomic<bool> in_run{false}; // between a tick and the input's end of input
        int64_t last_start_ns = 0, last_end_ns = 0;
        std::string last_result; // "ok", "failed: ...", "" before the first run
        uint64_t failed_runs = 0;
        schedule::ClockJumpWatch jump;
    };
    struct InputState {
        // Its tag, interned: what the batches emitted from now on carry. Set by set_tag (always
        // before the input runs), read through tag().
        std::atomic<const std::string *> batch_tag{nullptr};
        void set_tag(std::string_view t);
        const std::string &tag() const { return *batch_tag.load(std::memory_order_relaxed); }
        std::unique_ptr<ScheduledInput> scheduled; // set once, when the input is added
        Route route;
        AckTracker tracker;
        std::unique_ptr<CheckpointStore> store;
        std::string format;   // the checkpoint format the input's plugin writes
        CheckpointMap loaded; // backs load_checkpoints' views
        bool prepared = false;
        std::atomic<uint64_t> unrouted{0};
        std::atomic<bool> store_failing{false};
        std::atomic<bool> thread_done{false};
        std::atomic<bool> swapping{false}; // the thread ends for a swap: the routes stay
        // The earliest process_at time of the filters on its route (mafio.hold.v1); 0: none.
        std::atomic<int64_t> held_call_at{0};
        std::thread thread;
        Control control;
    };
    struct FilterState {
        std::vector<std::string> match;
        std::timed_mutex calls; // one process() at a time, whichever input's thread makes it;
                                // held while the instance is read or exchanged (swap)
        RateLimitedLog errors;  // under `calls`
        std::atomic<bool> stopped{false}; // stopped alone: batches pass it by
        Control control;
        // mafio.hold.v1, per (input index, stream): the batches whose records this filter
        // holds, and when it asked to be called without data (0: never). Under `calls`.
        struct Holding {
            std::vector<std::shared_ptr<HeldBatch>> batches;
            int64_t call_at_ns = 0;
        };
        std::map<std::pair<size_t, uint32_t>, Holding> holding;
        // mafio.retag.v1: records retagged by the process() call in progress, a batch per
        // tag. Under `calls`; emptied right after the call.
        std::vector<std::pair<const std::string *, BatchPtr>> retagged;
    };
    struct OutputState {
        OutputState(uint64_t records, uint64_t bytes) : queue(records, bytes) {}
        std::vector<std::string> match;
        BoundedQueue<SharedBatch> queue;
        std::atomic<uint64_t> in_flight{0}; // records of the batch being written
        std::atomic<bool> abandon{false};   // the grace period ran out: stop retrying
        std::timed_mutex calls; // held by the output thread around each write, and by a swap
        std::atomic<int> thread_id{0};
        std::atomic<bool> stopped{false};     // stopped alone: no input pushes to it any more
        std::atomic<bool> thread_done{false}; // its thread ended (under the pipeline's mutex_)
        RateLimitedLog errors;
        bool closed = false;  // the destination closed: later batches are counted, not written
        size_t producers = 0; // running inputs routed here; the last one closes the queue
        Control control;
    };

    void prepare_checkpoints(size_t input);
    void input_loop(size_t input);
    void scheduled_input_loop(size_t input);
    void begin_run(size_t input, int64_t fire_ns);
    void end_run(size_t input, mafio_status status);
    void attach_schedule(size_t input);
    void input_ended(size_t input);
    void start_input_thread(size_t input);
    std::string quiesce_input(size_t input, std::chrono::milliseconds timeout);
    // The routes the graph would have with these tags, matches and filter order.
    void compute_routes(const std::vector<std::string> &filter_order);
    // Every input's route from its tag, filters taken in `filter_order` (indices).
    void route_inputs(std::vector<size_t> filter_order);
    void output_loop(size_t output);
    void deliver(size_t output, const Batch &batch);
    void wait_while_paused(Control &c);
    bool backoff(OutputState &out, std::chrono::milliseconds delay);
    void finished_one_thread();
    void checkpoint_loop();
    bool store_checkpoints(); // true if any input had changes to store; false on no change
    bool store_failed_any() const;
    void finished(const Batch &batch);
    // Runs `batch` of `input` along its route from the filter at route position `first`, then
    // hands it to the route's outputs (or finishes it when nothing is left or nothing takes it).
    void continue_route(size_t input, BatchPtr batch, const Route &route, size_t first);
    // mafio.retag.v1 (pipeline_retag.cpp): what a filter retagged while processing `origin`
    // (which from now on is acknowledged only after them), and where it goes on.
    struct Retagged {
        size_t after_filter;
        const std::string *tag;
        BatchPtr batch;
    };
    uint64_t collect_retagged(FilterState &fs, size_t filter, Batch &origin,
                              std::vector<Retagged> &out); // returns the records retagged
    void dispatch_retagged(size_t input, uint32_t stream, std::vector<Retagged> &retagged);
    Route route_for_tag(const std::string &tag, size_t after_filter) const;
    void set_feeds(Route &route) const;
    // mafio.hold.v1 (pipeline_held.cpp). A held batch's last event finishes it.
    void finish_held(HeldBatch &held);
    // Filter `f`'s records held for (input, stream), in an empty batch that process() is
    // called with (`ending`: release everything). Caller holds f's `calls`; the result goes on
    // with continue_route from the position after f.
    BatchPtr take_held(size_t f, size_t input, uint32_t stream, bool ending);
    // The held records of the filters on `input`'s route: those whose process_at time has come,
    // or all of them when `ending` (the input ends). The input's thread.
    void release_held_of_input(size_t input, bool ending);
    // Everything filter `f` holds, for every input, ending (a swap, removal or stop of `f`, with
    // the inputs routed through it quiet). Caller holds f's `calls`.
    void release_all_held_by(size_t f);
    uint64_t undelivered_records() const;
    int index_of(const std::vector<std::unique_ptr<Instance>> &list, const std::string &id) const;

    PipelineSettings settings_;
    std::vector<std::unique_ptr<Instance>> inputs_, filters_, outputs_;
    std::vector<size_t> filter_order_; // filter indices in configuration order (reload may reorder)
    std::vector<std::unique_ptr<InputState>> inputs_state_;
    std::vector<std::unique_ptr<FilterState>> filters_state_;
    std::vector<std::unique_ptr<OutputState>> outputs_state_;
    bool connected_ = false;
    std::vector<std::thread> output_threads_;
    std::thread checkpointer_;
    RateLimitedLog checkpoint_errors_;
    bool threads_joined_ = false;

    std::atomic<bool> stopping_{false};
    std::atomic<bool> input_failed_{false};
    std::atomic<bool> commits_closed_{false}; // the grace period ran out: nothing more commits

    mutable std::shared_mutex graph_mutex_; // see read_lock()
    std::mutex swap_mutex_;                 // one swap at a time
    mutable std::mutex mutex_; // guards the members below and the outputs' producer counts
    std::condition_variable changed_;
    size_t running_threads_ = 0;
    std::chrono::steady_clock::time_point stop_deadline_{};
};

} // namespace mafio
