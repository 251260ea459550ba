// Header-only C++ helpers over plugin.h. They compile down to the C ABI: a plugin written with
// them exports exactly one symbol, mafio_plugin_entry_v1, and no C++ type crosses the boundary.
//
// A plugin is a class derived from mafio::Input, mafio::Filter or mafio::Output whose
// constructor takes (mafio::Host, mafio::Options&) and throws mafio::Error for bad options, plus
// one MAFIO_PLUGIN(...) line. Every callback the macro generates catches every exception and
// turns it into a status code and an error message (exceptions never cross the ABI).
//
// Threads, in plugin.h's words (mafio/abi/conventions.h): the constructor, start(), stop() and
// the destructor run on [main]; poll(), process(), write() and flush() on [instance], one at a
// time per instance. Each mafio::Host member says which it may be called from.
#pragma once

#include <mafio/options.hpp>
#include <mafio/plugin.h>

#include <cstddef>
#include <cstring>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

namespace mafio {

// The host services for one instance. Cheap to copy (a few pointers and a number). Every member
// is a host service or reads what create() received: none throws (host services are noexcept and
// abort the agent when memory runs out, see mafio/abi/host.h).
class Host {
public:
    Host(const mafio_host *host, mafio_host_ctx *ctx, uint32_t max_batch_records = 0,
         const char *component_id = nullptr) noexcept
        : host_(host), ctx_(ctx), max_batch_records_(max_batch_records),
          component_id_(component_id ? component_id : ""),
          timer_(static_cast<const mafio_timer_ext *>(extension(MAFIO_EXT_TIMER))),
          fd_(static_cast<const mafio_fd_ext *>(extension(MAFIO_EXT_FD))),
          tags_(static_cast<const mafio_batch_tag_ext *>(extension(MAFIO_EXT_BATCH_TAG))),
          hold_(static_cast<const mafio_hold_ext *>(extension(MAFIO_EXT_HOLD))),
          retag_(static_cast<const mafio_retag_ext *>(extension(MAFIO_EXT_RETAG))) {}

    // One line in the agent's log. [any]
    void log(mafio_log_level level, const std::string &msg) const noexcept {
        host_->log(ctx_, level, msg.c_str());
    }
    void debug(const std::string &m) const noexcept { log(MAFIO_LOG_DEBUG, m); }
    void info(const std::string &m) const noexcept { log(MAFIO_LOG_INFO, m); }
    void warn(const std::string &m) const noexcept { log(MAFIO_LOG_WARN, m); }
    void error(const std::string &m) const noexcept { log(MAFIO_LOG_ERROR, m); }
    // Why the current callback fails. Plugins rarely call it: throwing mafio::Error does.
    // [main] or [instance], inside the failing callback.
    void set_error(const std::string &m) const noexcept { host_->set_error(ctx_, m.c_str()); }

    // Metrics (mafio/abi/metric.h): register in the constructor or start() ([main]); beyond
    // MAFIO_METRIC_LIMIT per instance the id is MAFIO_METRIC_INVALID and updates are ignored.
    mafio_metric_id counter(const char *name, const char *help) const noexcept {
        return host_->metric_register(ctx_, name, help, MAFIO_METRIC_COUNTER);
    }
    mafio_metric_id gauge(const char *name, const char *help) const noexcept {
        return host_->metric_register(ctx_, name, help, MAFIO_METRIC_GAUGE);
    }
    // Updates: lock-free, once per batch. [any]
    void add(mafio_metric_id id, uint64_t delta) const noexcept {
        if (delta != 0) host_->counter_add(ctx_, id, delta);
    }
    void set(mafio_metric_id id, int64_t value) const noexcept {
        host_->gauge_set(ctx_, id, value);
    }

    // Batches (mafio/abi/batch.h). new_batch and emit: [instance], from an input's poll();
    // reserve, set_checkpoint, free_batch: [instance], by the batch's owner.
    mafio_batch *new_batch(uint64_t bytes, uint32_t records) const noexcept {
        return host_->batch_new(ctx_, bytes, records);
    }
    void reserve(mafio_batch *b, uint64_t bytes, uint32_t records) const noexcept {
        host_->batch_reserve(ctx_, b, bytes, records);
    }
    // Set b->stream first: the checkpoint belongs to the batch's stream.
    void set_checkpoint(mafio_batch *b, const void *data, uint32_t len) const noexcept {
        host_->batch_set_checkpoint(ctx_, b, static_cast<const uint8_t *>(data), len);
    }
    void free_batch(mafio_batch *b) const noexcept { host_->batch_free(ctx_, b); }
    // Takes the batch, always; blocks while its queue is full. MAFIO_ERR_STOPPED when stopping.
    mafio_status emit(mafio_batch *b) const noexcept { return host_->emit(ctx_, b); }
    // True once the agent has been asked to stop. [any]
    bool stopping() const noexcept { return host_->stopping(ctx_) != 0; }

    const mafio_host *raw() const noexcept { return host_; }
    mafio_host_ctx *ctx() const noexcept { return ctx_; }

    // A host extension by id, or nullptr when the host does not offer it. [any]
    const void *extension(const char *id) const noexcept {
        return host_->get_extension ? host_->get_extension(ctx_, id) : nullptr;
    }

    // Scheduling (ABI 1.2: mafio/ext/timer.h, mafio/ext/fd.h, and mafio_input_vtable.poll for
    // what a "scheduled" input is). On an older host these return false and the input is simply
    // polled again after a short pause, so a plugin that uses them still works there, only less
    // frugally. wake_at: [instance] from poll(), or [main] from start(); the fd calls: [instance].
    bool wake_at(int64_t monotonic_ns) const noexcept {
        if (!timer_) return false;
        timer_->wake_at(ctx_, monotonic_ns);
        return true;
    }
    bool watch_fd(int fd) const noexcept { return fd_ && fd_->watch(ctx_, fd) == MAFIO_OK; }
    void unwatch_fd(int fd) const noexcept {
        if (fd_) fd_->unwatch(ctx_, fd);
    }
    bool can_schedule() const noexcept { return timer_ && fd_; }

    // The tag `b` carries (mafio/ext/batch_tag.h); `fallback` on a host without the extension.
    // Valid as long as the batch. Once per batch, not per record. [any]
    std::string_view batch_tag(const mafio_batch *b,
                               std::string_view fallback = {}) const noexcept {
        if (!tags_) return fallback;
        size_t len = 0;
        const char *t = tags_->tag(ctx_, b, &len);
        return {t, len};
    }

    // Keeping records past process() (mafio/ext/hold.h): false from hold() on a host without it
    // (a 0.3 host, or an instance that is not a filter), and then the filter must not keep
    // records. [instance], from inside process() with the batch it got.
    bool can_hold() const noexcept { return hold_ != nullptr; }
    bool hold(mafio_batch *b) const noexcept {
        if (!hold_) return false;
        hold_->hold(ctx_, b);
        return true;
    }
    void release(mafio_batch *b) const noexcept {
        if (hold_) hold_->release(ctx_, b);
    }
    void process_at(const mafio_batch *b, int64_t monotonic_ns) const noexcept {
        if (hold_) hold_->process_at(ctx_, b, monotonic_ns);
    }
    bool ending(const mafio_batch *b) const noexcept { return hold_ && hold_->ending(ctx_, b); }
    // The batch's input, for state per (input, stream); 0 on a host without the extension.
    uint32_t input_of(const mafio_batch *b) const noexcept {
        return hold_ ? hold_->input_of(ctx_, b) : 0;
    }

    // Sends record `index` of `b` on under `tag` (mafio/ext/retag.h); remove it from the batch
    // afterwards. False on a host without the extension (nothing was sent). [instance]
    bool can_retag() const noexcept { return retag_ != nullptr; }
    bool retag(const mafio_batch *b, uint32_t index, std::string_view tag) const noexcept {
        if (!retag_) return false;
        retag_->retag(ctx_, b, index, tag.data(), tag.size());
        return true;
    }

    // The component's stable id (ABI 1.2), "" on an older host. Valid as long as the instance.
    const char *component_id() const noexcept { return component_id_; }

    // The most records an input's batch should hold (mafio_create_args.max_batch_records,
    // ABI 1.1); 0 when the host has no preference (a 1.0 host).
    uint32_t max_batch_records() const noexcept { return max_batch_records_; }

private:
    const mafio_host *host_;
    mafio_host_ctx *ctx_;
    uint32_t max_batch_records_;
    const char *component_id_;
    const mafio_timer_ext *timer_;
    const mafio_fd_ext *fd_;
    const mafio_batch_tag_ext *tags_;
    const mafio_hold_ext *hold_;
    const mafio_retag_ext *retag_;
};

// Appends one record (its bytes are copied) to a batch. For inputs that build records one at a
// time from scattered sources; bulk readers write the arena directly instead.
inline void append_record(const Host &host, mafio_batch *b, std::string_view bytes,
                          uint32_t flags = 0, int64_t ts_ns = 0) {
    host.reserve(b, bytes.size(), 1);
    std::memcpy(b->arena + b->arena_size, bytes.data(), bytes.size());
    b->records[b->count++] =
        mafio_record{b->arena_size, static_cast<uint32_t>(bytes.size()), flags, ts_ns};
    b->arena_size += bytes.size();
}

// The bytes of record `i` of a batch.
inline std::string_view record_bytes(const mafio_batch *b, uint32_t i) {
    const mafio_record &r = b->records[i];
    return {reinterpret_cast<const char *>(b->arena + r.offset), r.len};
}

// Base classes. Optional hooks have empty defaults. The constructor (create), start(), stop() and
// the destructor (destroy) run on [main]; flush() and the kind's data callback on [instance].
// flush() is called for filters and outputs when the component shuts down, before stop().
class Plugin {
public:
    explicit Plugin(Host host) : host_(host) {}
    virtual ~Plugin() = default;
    Plugin(const Plugin &) = delete;
    Plugin &operator=(const Plugin &) = delete;

    virtual void start(const mafio_start_args & /*args*/) {}
    virtual void flush() {}
    virtual void stop() {}

protected:
    const Host &host() const { return host_; }

private:
    Host host_;
};

class Input : public Plugin {
public:
    using Plugin::Plugin;
    static constexpr mafio_kind kind = MAFIO_KIND_INPUT;
    // MAFIO_OK, MAFIO_RETRY, MAFIO_EOF; throw mafio::Error for failures.
    virtual mafio_status poll() = 0;
};

class Filter : public Plugin {
public:
    using Plugin::Plugin;
    static constexpr mafio_kind kind = MAFIO_KIND_FILTER;
    virtual void process(mafio_batch *batch) = 0;
};

class Output : public Plugin {
public:
    using Plugin::Plugin;
    static constexpr mafio_kind kind = MAFIO_KIND_OUTPUT;
    // Return MAFIO_OK when all are done, or MAFIO_RETRY with `done` set to how many are.
    virtual mafio_status write(const mafio_batch *batch, uint32_t first, uint32_t count,
                               uint32_t &done) = 0;
};

namespace detail {

// Each instance remembers its host so that a caught exception can be reported.
template <class T> struct Box {
    Host host;
    std::unique_ptr<T> plugin;
};

template <class F> mafio_status guarded(const Host &host, F &&f) noexcept {
    try {
        return f();
    } catch (const Error &e) {
        host.set_error(e.what());
        return e.code();
    } catch (const std::exception &e) {
        host.set_error(std::string("unexpected exception: ") + e.what());
        return MAFIO_ERR_INTERNAL;
    } catch (...) {
        host.set_error("unexpected exception of unknown type");
        return MAFIO_ERR_INTERNAL;
    }
}

template <class T> mafio_status create(const mafio_create_args *a, void **out) noexcept {
    *out = nullptr;
    // A 1.0 host's args end before max_batch_records, a 1.1 host's before component_id.
    const bool has_hint = MAFIO_STRUCT_HAS(mafio_create_args, a, max_batch_records);
    const bool has_id = MAFIO_STRUCT_HAS(mafio_create_args, a, component_id);
    Host host(a->host, a->ctx, has_hint ? a->max_batch_records : 0,
              has_id ? a->component_id : nullptr);
    return guarded(host, [&] {
        Options opts(a->options_json, a->instance ? a->instance : "options");
        auto box = std::make_unique<Box<T>>(Box<T>{host, nullptr});
        box->plugin = std::make_unique<T>(host, opts);
        opts.reject_unknown(); // after the constructor has asked for every key it knows
        *out = box.release();
        return MAFIO_OK;
    });
}

template <class T> Box<T> &box(void *p) {
    return *static_cast<Box<T> *>(p);
}

template <class T> mafio_status start(void *p, const mafio_start_args *a) noexcept {
    auto &b = box<T>(p);
    return guarded(b.host, [&] {
        b.plugin->start(*a);
        return MAFIO_OK;
    });
}
template <class T> mafio_status flush(void *p) noexcept {
    auto &b = box<T>(p);
    return guarded(b.host, [&] {
        b.plugin->flush();
        return MAFIO_OK;
    });
}
template <class T> mafio_status stop(void *p) noexcept {
    auto &b = box<T>(p);
    return guarded(b.host, [&] {
        b.plugin->stop();
        return MAFIO_OK;
    });
}
template <class T> void destroy(void *p) noexcept {
    try {
        delete static_cast<Box<T> *>(p);
    } catch (...) { // a throwing destructor must not take the agent down
    }
}
template <class T> constexpr mafio_lifecycle lifecycle() {
    return {&create<T>, &start<T>, &flush<T>, &stop<T>, &destroy<T>};
}

template <class T> mafio_status poll(void *p) noexcept {
    auto &b = box<T>(p);
    return guarded(b.host, [&] { return b.plugin->poll(); });
}
template <class T> mafio_status process(void *p, mafio_batch *batch) noexcept {
    auto &b = box<T>(p);
    return guarded(b.host, [&] {
        b.plugin->process(batch);
        return MAFIO_OK;
    });
}
template <class T>
mafio_status write(void *p, const mafio_batch *batch, uint32_t first, uint32_t count,
                   uint32_t *done) noexcept {
    auto &b = box<T>(p);
    return guarded(b.host, [&] { return b.plugin->write(batch, first, count, *done); });
}

template <class T> const void *vtable() {
    if constexpr (T::kind == MAFIO_KIND_INPUT) {
        static const mafio_input_vtable v{lifecycle<T>(), &poll<T>};
        return &v;
    } else if constexpr (T::kind == MAFIO_KIND_FILTER) {
        static const mafio_filter_vtable v{lifecycle<T>(), &process<T>};
        return &v;
    } else {
        static const mafio_output_vtable v{lifecycle<T>(), &write<T>};
        return &v;
    }
}

// Checkpoint formats a plugin class declares (ABI 1.2), as static members:
//     static constexpr const char *checkpoint_format = "mafio.file-position/1";
//     static constexpr const char *checkpoint_formats_read[] = {"mafio.file-position/1", nullptr};
// Both are optional; without the second the plugin reads only what it writes.
// Detection without C++20 concepts: third-party plugins may build as C++17.
template <class T, class = void> struct writes_format {
    static constexpr const char *value = nullptr;
};
template <class T> struct writes_format<T, std::void_t<decltype(T::checkpoint_format)>> {
    static constexpr const char *value = T::checkpoint_format;
};
template <class T, class = void> struct reads_formats {
    static constexpr const char *const *value = nullptr;
};
template <class T> struct reads_formats<T, std::void_t<decltype(T::checkpoint_formats_read)>> {
    static constexpr const char *const *value = T::checkpoint_formats_read;
};

template <class T>
const mafio_plugin_desc *descriptor(uint32_t host_major, const char *name, const char *tag,
                                    const char *version, const char *description,
                                    const char *schema) {
    if (host_major != MAFIO_ABI_MAJOR) return nullptr;
    static const mafio_plugin_desc d{MAFIO_PLUGIN_MAGIC,
                                     sizeof(mafio_plugin_desc),
                                     MAFIO_ABI_MAJOR,
                                     MAFIO_ABI_MINOR,
                                     static_cast<uint32_t>(T::kind),
                                     0,
                                     name,
                                     tag,
                                     version,
                                     description,
                                     schema,
                                     vtable<T>(),
                                     nullptr,
                                     writes_format<T>::value,
                                     reads_formats<T>::value};
    return &d;
}

} // namespace detail
} // namespace mafio

// Defines the entry function for plugin class CLASS. SCHEMA is a JSON Schema string or nullptr.
#define MAFIO_PLUGIN(CLASS, NAME, TAG, VERSION, DESCRIPTION, SCHEMA)                               \
    extern "C" MAFIO_PLUGIN_EXPORT const mafio_plugin_desc *mafio_plugin_entry_v1(                 \
        uint32_t host_abi_major, uint32_t /*host_abi_minor*/) {                                    \
        return ::mafio::detail::descriptor<CLASS>(host_abi_major, NAME, TAG, VERSION, DESCRIPTION, \
                                                  SCHEMA);                                         \
    }
