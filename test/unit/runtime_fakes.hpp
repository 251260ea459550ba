// In-process plugins for runtime tests: real descriptors made by the SDK (plugin.hpp), wrapped
// in a LoadedPlugin without a shared library, so the tests drive the real Pipeline, Instance and
// host services exactly as dlopen'ed plugins do.
#pragma once

#include "pipeline/pipeline.hpp"
#include "plugin/loader.hpp"

#include <mafio/plugin.hpp>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unistd.h>
#include <vector>

namespace mafio::test {

// What the fake outputs received, by component id.
struct Received {
    std::mutex mutex;
    std::map<std::string, std::vector<std::string>> records;
    std::vector<std::string> of(const std::string &id) {
        std::lock_guard lock(mutex);
        return records[id];
    }
    void clear() {
        std::lock_guard lock(mutex);
        records.clear();
    }
};
inline Received &received() {
    static Received r;
    return r;
}

// Emits `batches` batches of `records` records "<prefix><n>", each with checkpoint "<n>" on
// stream 0, then ends (or with "end": false, waits until stopped). Writes and reads the format
// "test.counter/1".
class CountingInput final : public mafio::Input {
public:
    static constexpr const char *checkpoint_format = "test.counter/1";
    CountingInput(mafio::Host host, mafio::Options &o)
        : Input(host), batches_(static_cast<int>(o.integer("batches", 3, 0, 1000000))),
          records_(static_cast<int>(o.integer("records", 2, 0, 1000))),
          prefix_(o.string("prefix", "r")), end_(o.boolean("end", true)) {}
    void start(const mafio_start_args &a) override {
        for (uint32_t i = 0; i < a.checkpoint_count; ++i)
            resumed_from = std::string(reinterpret_cast<const char *>(a.checkpoints[i].data),
                                       a.checkpoints[i].len);
        last_resumed() = resumed_from;
    }
    mafio_status poll() override {
        if (sent_ >= batches_) return end_ ? MAFIO_EOF : MAFIO_RETRY;
        mafio_batch *b = host().new_batch(64, static_cast<uint32_t>(records_));
        for (int i = 0; i < records_; ++i)
            mafio::append_record(host(), b, prefix_ + std::to_string(n_++));
        std::string cp = std::to_string(n_);
        host().set_checkpoint(b, cp.data(), static_cast<uint32_t>(cp.size()));
        ++sent_;
        host().emit(b);
        return MAFIO_OK;
    }
    static std::string &last_resumed() {
        static std::string s;
        return s;
    }
    std::string resumed_from;

private:
    int batches_, records_;
    std::string prefix_;
    bool end_; // false: after its batches it waits (MAFIO_RETRY) until stopped
    int sent_ = 0, n_ = 0;
};

// Drops every record that contains `drop`.
class DropFilter final : public mafio::Filter {
public:
    DropFilter(mafio::Host host, mafio::Options &o) : Filter(host), drop_(o.string("drop", "x")) {}
    void process(mafio_batch *b) override {
        uint32_t kept = 0;
        for (uint32_t i = 0; i < b->count; ++i)
            if (mafio::record_bytes(b, i).find(drop_) == std::string_view::npos)
                b->records[kept++] = b->records[i];
        b->count = kept;
    }

private:
    std::string drop_;
};

// Records what it gets under its component id. With `retry_first` it reports MAFIO_RETRY with
// one record done on its first `retry_first` writes.
class CollectOutput final : public mafio::Output {
public:
    CollectOutput(mafio::Host host, mafio::Options &o)
        : Output(host), id_(host.component_id()),
          retries_left_(static_cast<int>(o.integer("retry_first", 0, 0, 100))),
          stuck_(o.boolean("stuck", false)) {}
    mafio_status write(const mafio_batch *b, uint32_t first, uint32_t count,
                       uint32_t &done) override {
        if (stuck_) { // a destination that never comes back
            done = 0;
            return MAFIO_RETRY;
        }
        uint32_t n = count;
        mafio_status st = MAFIO_OK;
        if (retries_left_ > 0) {
            --retries_left_;
            n = std::min<uint32_t>(1, count);
            st = MAFIO_RETRY;
        }
        std::lock_guard lock(received().mutex);
        for (uint32_t i = first; i < first + n; ++i)
            received().records[id_].emplace_back(mafio::record_bytes(b, i));
        done = n;
        return st;
    }

private:
    std::string id_;
    int retries_left_;
    bool stuck_;
};

// Waits for data on a pipe through the fd extension; emits one record per line it reads and
// ends at "EOF". Counts its polls.
class PipeInput final : public mafio::Input {
public:
    PipeInput(mafio::Host host, mafio::Options &o)
        : Input(host), fd_(static_cast<int>(o.integer("fd", -1, -1, 1 << 20))) {}
    void start(const mafio_start_args &) override {
        if (!host().watch_fd(fd_)) throw mafio::Error("cannot watch the pipe");
    }
    mafio_status poll() override {
        polls()++;
        char buf[256];
        ssize_t n = ::read(fd_, buf, sizeof buf);
        if (n <= 0) return MAFIO_RETRY;
        std::string text(buf, static_cast<size_t>(n));
        mafio_batch *b = host().new_batch(text.size(), 8);
        mafio::append_record(host(), b, text);
        host().emit(b);
        return text.find("EOF") != std::string::npos ? MAFIO_EOF : MAFIO_OK;
    }
    void stop() override { host().unwatch_fd(fd_); }
    static std::atomic<int> &polls() {
        static std::atomic<int> n{0};
        return n;
    }

private:
    int fd_;
};

template <class T> std::shared_ptr<LoadedPlugin> fake_plugin(const char *name) {
    const mafio_plugin_desc *d =
        mafio::detail::descriptor<T>(MAFIO_ABI_MAJOR, name, "V1", "1.0.0", "test fake", nullptr);
    return std::make_shared<LoadedPlugin>(
        boost::dll::shared_library(), d,
        PluginFile{name, "V1", "/in-process/" + std::string(name)});
}

// Creates an instance of `plugin` as component `id` on `p`.
inline std::unique_ptr<Instance> make(Pipeline &p, std::shared_ptr<LoadedPlugin> plugin,
                                      const std::string &id, const std::string &options = "{}") {
    const auto kind = plugin->kind();
    const size_t index = kind == MAFIO_KIND_INPUT    ? p.inputs().size()
                         : kind == MAFIO_KIND_FILTER ? p.filters().size()
                                                     : p.outputs().size();
    auto inst = std::make_unique<Instance>(std::move(plugin), id, id, static_cast<uint32_t>(index));
    inst->create(options, p.component_dir(id), &p);
    return inst;
}

} // namespace mafio::test
