// Where a full (or yesterday's) file goes, and which rotated files stay (names.hpp):
//   numbered: path -> path.1 -> ... -> path.N, the oldest dropped (each may be a .gz)
//   time_format: path -> its stamped name; beyond max_files the oldest are deleted
//   max_files 0: the file is deleted
// With `compress`, each rotated file is handed to the Compressor, and every rename or deletion
// happens under its lock and is reported to it (compressor.hpp says why).
#pragma once

#include "compressor.hpp"
#include "live_file.hpp"
#include "names.hpp"
#include "plans.hpp"

#include <mafio/options.hpp>

#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <functional>
#include <mutex>
#include <string>
#include <sys/stat.h>
#include <vector>

namespace logr_v1 {

class Rotation {
public:
    Rotation(Names names, uint32_t max_files, Compressor *compressor)
        : names_(std::move(names)), max_files_(max_files), compressor_(compressor) {}

    const Names &names() const { return names_; }
    // With `compress`: where rotated files go next.
    void attach(Compressor *compressor) { compressor_ = compressor; }

    // Moves the live file (synced, still open) out of the way. `last_write` is when it was
    // last written: the time in its name with time_format.
    void move_away(time_t last_write) {
        std::unique_lock<std::mutex> lock;
        if (compressor_) lock = compressor_->lock();
        if (max_files_ == 0) {
            remove(names_.path());
            return;
        }
        std::string rotated;
        if (names_.timed()) {
            rotated = free_stamped(last_write);
            move(names_.path(), rotated);
        } else {
            drop(names_.numbered(max_files_));
            for (uint32_t n = max_files_ - 1; n >= 1; --n) {
                move(names_.numbered(n), names_.numbered(n + 1));
                move(Names::gz(names_.numbered(n)), Names::gz(names_.numbered(n + 1)));
            }
            rotated = names_.numbered(1);
            move(names_.path(), rotated);
        }
        if (compressor_) compressor_->add(rotated);
        if (names_.timed()) prune();
    }

    // At start, before the first write: what a killed run left (plans.hpp, plan_recovery).
    void recover(const std::function<void(const std::string &)> &info) {
        std::vector<std::string> entries;
        for (const auto &e : list())
            entries.push_back(e.name);
        const RecoveryPlan plan = plan_recovery(names_, entries, compressor_ != nullptr);
        for (const auto &name : plan.remove) {
            remove(names_.in_dir(name));
            info("removed \"" + names_.in_dir(name) + "\", left by an earlier run that was " +
                 "stopped while compressing (" +
                 (name == names_.base() + ".gz.tmp" ? "an incomplete .gz"
                                                    : "its complete .gz is kept") +
                 ")");
        }
        if (plan.compress.empty()) return;
        info("compressing " + std::to_string(plan.compress.size()) +
             " rotated file(s) left uncompressed by an earlier run");
        auto lock = compressor_->lock();
        for (const auto &name : plan.compress)
            compressor_->add(names_.in_dir(name));
    }

private:
    // A free name for a file last written at t: the plain stamp, else stamp.1, stamp.2 ...
    std::string free_stamped(time_t t) const {
        for (uint32_t k = 0;; ++k) {
            std::string name = names_.stamped(t, k);
            if (!exists(name) && !exists(Names::gz(name))) return name;
            if (k == 1000000)
                throw mafio::Error("no free rotated name for \"" + names_.path() +
                                       "\" after a million tries (" + name + ")",
                                   MAFIO_ERR_IO);
        }
    }

    // With time_format: deletes the oldest rotated files beyond max_files.
    void prune() {
        for (const auto &plain : plan_retention(names_, list(), max_files_))
            drop(names_.in_dir(plain));
    }

    // Deletes a rotated file in both forms.
    void drop(const std::string &plain) {
        remove(plain);
        remove(Names::gz(plain));
        if (compressor_) compressor_->removed(plain);
    }

    std::vector<Entry> list() const {
        DIR *d = ::opendir(names_.dir().c_str());
        if (!d) fail_on("cannot list the directory", names_.dir());
        std::vector<Entry> out;
        while (const dirent *e = ::readdir(d)) {
            const std::string name = e->d_name;
            if (name == "." || name == "..") continue;
            if (name != names_.base() + ".gz.tmp" && !names_.classify(name)) continue;
            struct stat st {};
            if (::fstatat(::dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
            out.push_back({name, int64_t{st.st_mtim.tv_sec} * 1000000000 + st.st_mtim.tv_nsec});
        }
        ::closedir(d);
        return out;
    }

    static bool exists(const std::string &file) {
        struct stat st {};
        return ::lstat(file.c_str(), &st) == 0;
    }
    static void remove(const std::string &file) {
        if (::unlink(file.c_str()) != 0 && errno != ENOENT) fail_on("cannot remove", file);
    }
    void move(const std::string &from, const std::string &to) {
        if (::rename(from.c_str(), to.c_str()) != 0) {
            if (errno == ENOENT) return;
            fail_on("cannot rename \"" + from + "\" to", to);
        }
        if (compressor_) compressor_->moved(from, to);
    }
    [[noreturn]] static void fail_on(const std::string &what, const std::string &file) {
        const int err = errno;
        throw mafio::Error(what + " \"" + file + "\": " + std::strerror(err),
                           is_transient(err) ? MAFIO_RETRY : MAFIO_ERR_IO);
    }

    Names names_;
    uint32_t max_files_;
    Compressor *compressor_;
};

} // namespace logr_v1
