// Decisions about the rotated files found beside `path`, kept pure (names and times in, names
// out) so that they are unit-tested without a file system.
#pragma once

#include "names.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace logr_v1 {

// What to do at start with what an earlier run left. The compressor renames its temp file to
// X.gz only after fsync, then unlinks X; a kill can stop it anywhere, so:
//   the temp file                     is incomplete: remove it
//   X and X.gz                        X.gz is complete, X was about to go: remove X
//   X alone (and compress is on)      compress it (again)
// Names are directory entries (no directory part), sorted.
struct RecoveryPlan {
    std::vector<std::string> remove;
    std::vector<std::string> compress;
};

inline RecoveryPlan plan_recovery(const Names &names, const std::vector<std::string> &entries,
                                  bool compress) {
    struct Seen {
        bool plain = false, gz = false;
    };
    std::map<std::string, Seen> rotated;
    RecoveryPlan plan;
    for (const auto &e : entries) {
        if (e == names.base() + ".gz.tmp") {
            plan.remove.push_back(e);
            continue;
        }
        if (auto r = names.classify(e))
            (r->gz ? rotated[r->plain].gz : rotated[r->plain].plain) = true;
    }
    for (const auto &[plain, seen] : rotated) {
        if (seen.plain && seen.gz)
            plan.remove.push_back(plain);
        else if (seen.plain && compress)
            plan.compress.push_back(plain);
    }
    std::sort(plan.remove.begin(), plan.remove.end());
    return plan;
}

// With time_format, which rotated files to delete so that `max_files` remain: the oldest by
// modification time (a compressed file keeps its source's), name breaking ties. A file and its
// .gz count once. Returns plain names (delete both forms).
struct Entry {
    std::string name;
    int64_t mtime_ns;
};

inline std::vector<std::string>
plan_retention(const Names &names, const std::vector<Entry> &entries, uint32_t max_files) {
    std::map<std::string, int64_t> newest; // plain name -> latest mtime of its forms
    for (const auto &e : entries) {
        auto r = names.classify(e.name);
        if (!r) continue;
        auto [it, fresh] = newest.emplace(r->plain, e.mtime_ns);
        if (!fresh) it->second = std::max(it->second, e.mtime_ns);
    }
    if (newest.size() <= max_files) return {};
    std::vector<std::pair<int64_t, std::string>> order;
    for (const auto &[plain, t] : newest)
        order.emplace_back(t, plain);
    std::sort(order.begin(), order.end());
    std::vector<std::string> out;
    for (size_t i = 0; i + max_files < order.size(); ++i)
        out.push_back(order[i].second);
    return out;
}

} // namespace logr_v1
