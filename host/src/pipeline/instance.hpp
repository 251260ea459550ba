// One configured plugin instance: the loaded plugin, its opaque handle, what the host counts
// for it, and the context its host-service calls arrive with.
#pragma once

#include "config/agent_config.hpp"
#include "metrics/metric_set.hpp"
#include "pipeline/batch.hpp"
#include "pipeline/wakeup.hpp"
#include "plugin/loader.hpp"

#include <mafio/plugin.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace mafio {
class Instance;

// Where an input's emitted batches go (implemented by the pipeline).
class EmitSink {
public:
    virtual ~EmitSink() = default;
    virtual mafio_status emit(Instance &from, BatchPtr batch) = 0;
    virtual bool stopping() const = 0;
    // The agent, or this one component, is being stopped (host->stopping).
    virtual bool instance_stopping(const Instance &) const { return stopping(); }
    // The most records an input's batch should hold (mafio_create_args.max_batch_records).
    virtual uint32_t max_batch_records() const { return 0; }
    // The interned tag an input's batches get when it emits them now (mafio.batch_tag.v1).
    virtual const std::string *current_tag(const Instance &) const { return nullptr; }
    // mafio.hold.v1 for a filter, from inside its process() of `batch`.
    virtual void hold(Instance & /*filter*/, Batch & /*batch*/) {}
    virtual void release(Instance & /*filter*/, Batch & /*batch*/) {}
    virtual void process_at(Instance & /*filter*/, const Batch & /*batch*/, int64_t /*ns*/) {}
    // mafio.retag.v1 for a filter, from inside its process() of `batch`.
    virtual void retag(Instance & /*filter*/, const Batch & /*batch*/, uint32_t /*index*/,
                       std::string_view /*tag*/) {}
};
} // namespace mafio

// The C ABI's opaque context: which instance a host-service call comes from.
struct mafio_host_ctx {
    mafio::Instance *instance;
};

namespace mafio {

class Instance {
public:
    // `id` is the component's stable id (config/topology.hpp); `where` its JSON path.
    Instance(std::shared_ptr<LoadedPlugin> plugin, std::string id, std::string where,
             uint32_t index);
    ~Instance(); // destroy()s the plugin instance if it was created
    Instance(const Instance &) = delete;
    Instance &operator=(const Instance &) = delete;

    // Lifecycle, main thread. Throw PluginError with the plugin's message, prefixed by where().
    // `data_dir` is this component's own directory ("" when the agent keeps no state).
    void create(const std::string &options_json, const std::string &data_dir, EmitSink *sink);
    void start(const std::vector<mafio_checkpoint> &checkpoints);
    void stop(); // once; logs a failure, never throws

    // Data callbacks, instance thread. A failure's message is in take_error().
    mafio_status poll() { return plugin_->input().poll(handle_); }
    mafio_status process(mafio_batch *b) { return plugin_->filter().process(handle_, b); }
    mafio_status write(const mafio_batch *b, uint32_t first, uint32_t count, uint32_t *done) {
        return plugin_->output().write(handle_, b, first, count, done);
    }
    mafio_status flush();

    // The message the plugin set with set_error for its last failure, prefixed with where();
    // a generic text naming the status when it set none. Clears it.
    std::string take_error(mafio_status status);

    const std::string &where() const { return where_; }
    const std::string &id() const { return id_; }
    // The options create() was given (a JSON object), for the API and for a swap.
    const std::string &options_json() const { return options_json_; }
    // The same with secret values redacted (util/redact.hpp), for the read-only API.
    const std::string &shown_options_json() const { return shown_options_json_; }
    const std::string &data_dir() const { return data_dir_; }
    std::shared_ptr<LoadedPlugin> plugin_ptr() const { return plugin_; }
    // How log lines name the instance: its id, and the plugin behind it.
    const std::string &label() const { return label_; }
    mafio_kind kind() const { return plugin_->kind(); }
    const LoadedPlugin &plugin() const { return *plugin_; }
    uint32_t index() const { return index_; }
    EmitSink *sink() const { return sink_; }

    // Called by the host services.
    void set_error(const char *msg) { error_ = msg ? msg : ""; }
    // An input that called set_error() before MAFIO_EOF: it ended, but what it did failed.
    bool has_error() const { return !error_.empty(); }

    InstanceStats stats;
    MetricSet metrics;
    // Taken out of the graph by a reload: it keeps its slot (indices stay valid) but no longer
    // counts as a component (lookups, snapshots and routes skip it).
    std::atomic<bool> retired{false};
    // Inputs: what the input thread sleeps on between polls (the scheduling extensions).
    Wakeup wakeup;
    // Inputs with a "schedule" (set by the builder; the pipeline keeps its own copy).
    std::shared_ptr<const InputScheduleSpec> schedule_spec;
    bool stopped() const { return stopped_; }

    // Outputs: the backoff after MAFIO_RETRY doubles from retry_initial up to retry_max.
    std::chrono::milliseconds retry_initial{100};
    std::chrono::milliseconds retry_max{30000};

private:
    std::shared_ptr<LoadedPlugin> plugin_;
    std::string id_;
    std::string where_;
    std::string label_;
    bool stopped_ = false;
    uint32_t index_;
    std::string data_dir_;
    std::string options_json_;
    std::string shown_options_json_;
    std::string error_;
    mafio_host_ctx ctx_{this};
    EmitSink *sink_ = nullptr;
    void *handle_ = nullptr;
};

// The host's counters go over to a new instance of the same component (a swap, the next run of
// a scheduled input), so the component's series keep rising.
void carry_stats(const InstanceStats &from, InstanceStats &to);

// The services table every instance receives.
const mafio_host *host_services();

} // namespace mafio
