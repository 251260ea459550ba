#include "pipeline/instance.hpp"

#include "util/log.hpp"
#include "util/redact.hpp"

#include <fmt/format.h>

namespace mafio {

namespace {
const char *status_text(mafio_status s) {
    switch (s) {
    case MAFIO_OK:
        return "ok";
    case MAFIO_RETRY:
        return "retry";
    case MAFIO_EOF:
        return "end of input";
    case MAFIO_ERR_INVALID:
        return "invalid";
    case MAFIO_ERR_IO:
        return "I/O error";
    case MAFIO_ERR_INTERNAL:
        return "internal error";
    case MAFIO_ERR_STOPPED:
        return "stopped";
    case MAFIO_ERR_CLOSED:
        return "closed";
    }
    return "unknown status";
}
} // namespace

Instance::Instance(std::shared_ptr<LoadedPlugin> plugin, std::string id, std::string where,
                   uint32_t index)
    : plugin_(std::move(plugin)), id_(std::move(id)), where_(std::move(where)),
      label_(id_ + " (" + plugin_->id() + ")"), index_(index) {}

Instance::~Instance() {
    if (handle_) plugin_->lifecycle().destroy(handle_);
}

std::string Instance::take_error(mafio_status status) {
    std::string msg = std::move(error_);
    error_.clear();
    if (msg.empty())
        msg = fmt::format("{} failed ({}, status {})", plugin_->id(), status_text(status), status);
    // Option errors from plugin.hpp already start with the instance path ("outputs[1].path").
    if (msg.rfind(where_, 0) == 0) return msg;
    return where_ + ": " + msg;
}

void Instance::create(const std::string &options_json, const std::string &data_dir,
                      EmitSink *sink) {
    sink_ = sink;
    data_dir_ = data_dir;
    options_json_ = options_json;
    shown_options_json_ = redacted_options(options_json, plugin_->desc().options_schema);
    mafio_create_args args{};
    args.struct_size = sizeof args;
    args.host = host_services();
    args.ctx = &ctx_;
    args.options_json = options_json.c_str();
    args.instance = where_.c_str();
    args.data_dir = data_dir_.c_str();
    args.max_batch_records = sink ? sink->max_batch_records() : 0;
    args.component_id = id_.c_str();
    void *handle = nullptr;
    mafio_status st = plugin_->lifecycle().create(&args, &handle);
    if (st != MAFIO_OK || !handle) {
        if (handle) plugin_->lifecycle().destroy(handle);
        throw PluginError(take_error(st == MAFIO_OK ? MAFIO_ERR_INTERNAL : st));
    }
    handle_ = handle;
}

void Instance::start(const std::vector<mafio_checkpoint> &checkpoints) {
    if (!plugin_->lifecycle().start) return;
    mafio_start_args args{};
    args.struct_size = sizeof args;
    args.checkpoint_count = static_cast<uint32_t>(checkpoints.size());
    args.checkpoints = checkpoints.empty() ? nullptr : checkpoints.data();
    mafio_status st = plugin_->lifecycle().start(handle_, &args);
    if (st != MAFIO_OK) throw PluginError(take_error(st));
}

mafio_status Instance::flush() {
    if (!plugin_->lifecycle().flush) return MAFIO_OK;
    mafio_status st = plugin_->lifecycle().flush(handle_);
    if (st != MAFIO_OK) {
        stats.errors++;
        log::error("{}", take_error(st));
    }
    return st;
}

void Instance::stop() {
    if (stopped_ || !handle_ || !plugin_->lifecycle().stop) return;
    stopped_ = true;
    mafio_status st = plugin_->lifecycle().stop(handle_);
    if (st != MAFIO_OK) {
        stats.errors++;
        log::error("{}", take_error(st));
    }
}

void carry_stats(const InstanceStats &from, InstanceStats &to) {
    to.records_in = from.records_in.load();
    to.records_out = from.records_out.load();
    to.records_dropped = from.records_dropped.load();
    to.records_failed = from.records_failed.load();
    to.bytes_in = from.bytes_in.load();
    to.batches = from.batches.load();
    to.errors = from.errors.load();
    to.retries = from.retries.load();
    to.thread_id = from.thread_id.load();
}

} // namespace mafio
