#include "plugin/probe_cache.hpp"

#include <algorithm>

#include <sys/stat.h>

namespace mafio {

ProbeCache::ProbeCache(Registry registry, ProbeLimits limits, std::chrono::milliseconds wait_bound)
    : registry_(std::move(registry)), limits_(std::move(limits)), wait_bound_(wait_bound) {}

ProbeCache::~ProbeCache() {
    {
        std::lock_guard lock(mu_);
        stop_.store(true);
    }
    cv_.notify_all();
    if (worker_.joinable()) worker_.join();
}

void ProbeCache::start() {
    std::lock_guard lock(mu_);
    if (worker_.joinable()) return;
    wanted_ = true;
    worker_ = std::thread([this] { work(); });
}

ProbeCache::Fingerprint ProbeCache::fingerprint(const std::vector<PluginFile> &files) const {
    Fingerprint print;
    print.reserve(files.size());
    for (const auto &f : files) {
        struct stat st {};
        if (::stat(f.path.c_str(), &st) != 0) st = {};
        print.emplace_back(f.path, static_cast<uint64_t>(st.st_size),
                           static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 +
                               st.st_mtim.tv_nsec,
                           static_cast<uint64_t>(st.st_ino));
    }
    return print;
}

void ProbeCache::work() {
    // The last results by file, read and written by this thread only.
    std::vector<PluginProbe> previous;
    Fingerprint previous_print;
    std::unique_lock lock(mu_);
    for (;;) {
        cv_.wait(lock, [&] { return wanted_ || stop_.load(); });
        if (stop_.load()) return;
        wanted_ = false;
        lock.unlock();
        // The fingerprint is taken before the inspection: a file changed during it makes the
        // next get() see a difference and ask again.
        auto files = registry_.scan();
        auto print = fingerprint(files);
        // Only new and changed files are inspected again: one that hangs costs its bound once,
        // not on every change of the directory.
        std::vector<PluginProbe> probes(files.size());
        std::vector<PluginFile> fresh;
        std::vector<size_t> fresh_at;
        for (size_t i = 0; i < files.size(); ++i) {
            auto old = std::find(previous_print.begin(), previous_print.end(), print[i]);
            if (old != previous_print.end())
                probes[i] = previous[static_cast<size_t>(old - previous_print.begin())];
            else {
                fresh.push_back(files[i]);
                fresh_at.push_back(i);
            }
        }
        auto inspected = probe_plugin_files(fresh, limits_, &stop_);
        for (size_t k = 0; k < inspected.size(); ++k)
            probes[fresh_at[k]] = std::move(inspected[k]);
        previous = probes;
        previous_print = print;
        lock.lock();
        if (stop_.load()) return;
        have_ = std::move(probes);
        have_print_ = std::move(print);
        cv_.notify_all();
    }
}

PluginDirListing ProbeCache::get() {
    // Reading the directories and stat-ing the files is cheap next to an inspection.
    auto print = fingerprint(registry_.scan());
    std::unique_lock lock(mu_);
    auto current = [&] { return have_ && have_print_ == print; };
    if (!current() && worker_.joinable()) {
        wanted_ = true;
        cv_.notify_all();
        cv_.wait_for(lock, wait_bound_, [&] { return current() || stop_.load(); });
    }
    PluginDirListing out;
    if (have_) out.files = *have_;
    out.state = current() ? "current" : have_ ? "refreshing" : "pending";
    return out;
}

} // namespace mafio
