// The plugins directory as GET /plugins shows it: inspected in child processes (plugin_probe.hpp)
// on a background thread, kept, and inspected again when a file in it changed. A request never
// waits longer than `wait_bound` for an inspection; it gets the previous listing (or none yet)
// and a state saying so.
#pragma once

#include "plugin/plugin_probe.hpp"
#include "plugin/registry.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

namespace mafio {

struct PluginDirListing {
    std::vector<PluginProbe> files;
    // "current": matches the directory now; "refreshing": a file changed and the new inspection
    // is not finished (these are the previous results); "pending": no inspection finished yet.
    std::string state;
};

class ProbeCache {
public:
    ProbeCache(Registry registry, ProbeLimits limits, std::chrono::milliseconds wait_bound);
    ~ProbeCache(); // stops the inspection under way (its children are killed) and joins

    ProbeCache(const ProbeCache &) = delete;
    ProbeCache &operator=(const ProbeCache &) = delete;

    // The first inspection, in the background.
    void start();
    // Any thread.
    PluginDirListing get();

private:
    // What says a file changed: its path, size, mtime and inode.
    using Fingerprint = std::vector<std::tuple<std::string, uint64_t, int64_t, uint64_t>>;
    Fingerprint fingerprint(const std::vector<PluginFile> &files) const;
    void work();

    const Registry registry_;
    const ProbeLimits limits_;
    const std::chrono::milliseconds wait_bound_;

    std::mutex mu_;
    std::condition_variable cv_;
    bool wanted_ = false;
    std::atomic<bool> stop_{false};
    std::optional<std::vector<PluginProbe>> have_;
    Fingerprint have_print_;
    std::thread worker_;
};

} // namespace mafio
