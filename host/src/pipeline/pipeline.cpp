// Assembly, threads and shutdown of the component graph. The data path is in pipeline_flow.cpp,
// checkpoints in pipeline_checkpoints.cpp, per-component control in pipeline_control.cpp.
#include "pipeline/pipeline.hpp"

#include "config/topology.hpp"
#include "pipeline/interned_tag.hpp"
#include "util/log.hpp"

#include <filesystem>

namespace mafio {

// The component vectors never reallocate (a reload appends while other threads index them),
// so they reserve their bound up front; a reload beyond it is refused.
Pipeline::Pipeline(PipelineSettings settings) : settings_(std::move(settings)) {
    for (auto *v : {&inputs_, &filters_, &outputs_})
        v->reserve(max_components);
    inputs_state_.reserve(max_components);
    filters_state_.reserve(max_components);
    outputs_state_.reserve(max_components);
}

Pipeline::~Pipeline() {
    // Joinable threads remain only after an expired grace period, when the process exits.
    for (auto &in : inputs_state_)
        if (in->thread.joinable()) in->thread.detach();
    for (auto &t : output_threads_)
        if (t.joinable()) t.detach();
    if (checkpointer_.joinable()) checkpointer_.detach();
}

void Pipeline::InputState::set_tag(std::string_view t) {
    batch_tag.store(interned_tag(t), std::memory_order_relaxed);
}

void Pipeline::add_input(std::unique_ptr<Instance> i, std::string tag) {
    inputs_.push_back(std::move(i));
    inputs_state_.push_back(std::make_unique<InputState>());
    inputs_state_.back()->set_tag(std::move(tag));
    attach_schedule(inputs_.size() - 1);
}

void Pipeline::add_filter(std::unique_ptr<Instance> f, std::vector<std::string> match) {
    filters_.push_back(std::move(f));
    filters_state_.push_back(std::make_unique<FilterState>());
    filters_state_.back()->match = std::move(match);
}

void Pipeline::add_output(std::unique_ptr<Instance> o, std::vector<std::string> match) {
    outputs_.push_back(std::move(o));
    outputs_state_.push_back(
        std::make_unique<OutputState>(settings_.write_channel_records, settings_.channel_bytes));
    outputs_state_.back()->match = std::move(match);
}

std::string Pipeline::component_dir(const std::string &id) const {
    if (settings_.data_dir.empty()) return {};
    return (std::filesystem::path(settings_.data_dir) / "components" / id).string() + "/";
}

void Pipeline::make_component_dirs() const {
    for (const auto *list : {&inputs_, &filters_, &outputs_})
        for (const auto &inst : *list) {
            std::string dir = component_dir(inst->id());
            if (dir.empty()) continue;
            std::error_code ec;
            std::filesystem::create_directories(dir, ec);
            if (ec)
                log::warn("{}: cannot create its data directory {}: {}", inst->label(), dir,
                          ec.message());
        }
}

void Pipeline::connect() {
    if (connected_) return;
    connected_ = true;
    std::vector<size_t> order(filters_.size());
    for (size_t f = 0; f < order.size(); ++f)
        order[f] = f;
    route_inputs(std::move(order));
    for (const auto &in : inputs_state_)
        for (size_t o : in->route.feeds)
            outputs_state_[o]->producers++;
}

void Pipeline::run() {
    connect();
    for (size_t i = 0; i < inputs_.size(); ++i)
        prepare_checkpoints(i);
    {
        std::lock_guard lock(mutex_);
        running_threads_ = inputs_.size() + outputs_.size();
    }
    for (size_t o = 0; o < outputs_.size(); ++o) {
        if (outputs_state_[o]->producers == 0) outputs_state_[o]->queue.close();
        output_threads_.emplace_back([this, o] { output_loop(o); });
    }
    for (size_t i = 0; i < inputs_.size(); ++i)
        start_input_thread(i);
    checkpointer_ = std::thread([this] { checkpoint_loop(); });
}

void Pipeline::start_input_thread(size_t i) {
    inputs_state_[i]->thread = std::thread([this, i] { input_loop(i); });
}

void Pipeline::request_stop(const std::string &why) {
    const std::shared_lock no_swap_meanwhile(graph_mutex_);
    std::lock_guard lock(mutex_);
    if (stopping_.exchange(true)) return;
    stop_deadline_ = std::chrono::steady_clock::now() + settings_.shutdown_grace;
    log::info("stopping ({}): draining, grace period {} ms", why, settings_.shutdown_grace.count());
    for (auto &in : inputs_)
        in->wakeup.notify();
    for (auto &f : filters_state_)
        f->control.resumed.notify_all();
    for (auto &o : outputs_state_)
        o->control.resumed.notify_all();
    changed_.notify_all();
}

bool Pipeline::instance_stopping(const Instance &inst) const {
    if (stopping()) return true;
    if (inst.kind() != MAFIO_KIND_INPUT) return false;
    return inputs_state_[inst.index()]->control.stop.load(std::memory_order_relaxed);
}

void Pipeline::finished_one_thread() {
    std::lock_guard lock(mutex_);
    --running_threads_;
    changed_.notify_all();
}

uint64_t Pipeline::undelivered_records() const {
    uint64_t pending = 0;
    for (const auto &o : outputs_state_)
        pending += o->queue.records() + o->in_flight.load(std::memory_order_relaxed);
    return pending;
}

int Pipeline::wait() {
    bool expired = false;
    std::unique_lock lock(mutex_);
    while (running_threads_ > 0) {
        if (!stopping_) {
            changed_.wait(lock);
            continue;
        }
        if (changed_.wait_until(lock, stop_deadline_) != std::cv_status::timeout ||
            running_threads_ == 0)
            continue;
        log::error("shutdown grace period expired with about {} records not yet delivered; "
                   "exiting anyway (they are read again on the next start where the input "
                   "keeps checkpoints)",
                   undelivered_records());
        // Nothing finished from now on may commit a checkpoint: what is abandoned below was
        // not delivered and must be read again on the next start.
        expired = true;
        commits_closed_ = true;
        // Outputs waiting out a retry backoff give up now; one stuck inside a plugin cannot.
        for (auto &o : outputs_state_) {
            o->abandon = true;
            o->queue.close();
            o->control.resumed.notify_all();
        }
        const auto last_chance = std::chrono::steady_clock::now() + std::chrono::seconds(1);
        changed_.wait_until(lock, last_chance, [&] { return running_threads_ == 0; });
        if (running_threads_ > 0) {
            lock.unlock();
            store_checkpoints(); // what was delivered stays delivered
            return exit_grace_expired;
        }
        break;
    }
    lock.unlock();
    for (auto &in : inputs_state_)
        if (in->thread.joinable()) in->thread.join();
    for (auto &t : output_threads_)
        t.join();
    output_threads_.clear();
    if (checkpointer_.joinable()) checkpointer_.join();
    threads_joined_ = true;
    store_checkpoints();
    if (expired) return exit_grace_expired;
    if (store_failed_any()) {
        log::error("the last checkpoints could not be stored (see above): the next start reads "
                   "again what was delivered since the last stored ones");
        return exit_checkpoint_failed;
    }
    return input_failed_ ? exit_plugin_failed : exit_ok;
}

} // namespace mafio
