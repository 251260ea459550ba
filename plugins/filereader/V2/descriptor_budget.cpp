#include "descriptor_budget.hpp"

#include <cstring>
#include <dirent.h>

namespace mafio_filereader {
namespace {

// Descriptors the whole process holds now; 0 when that cannot be told.
uint64_t process_fds() {
    DIR *d = ::opendir("/proc/self/fd");
    if (!d) return 0;
    uint64_t n = 0;
    while (const dirent *e = ::readdir(d))
        if (e->d_name[0] != '.') ++n;
    ::closedir(d);
    return n > 0 ? n - 1 : 0; // the directory's own descriptor
}

} // namespace

DescriptorBudget::DescriptorBudget(ReaderEnv &env, Watcher &watcher, FileSet &files,
                                   OpenFailures &failures)
    : env_(env), watcher_(watcher), files_(files), failures_(failures),
      limit_(env.opt.max_open_files) {}

bool DescriptorBudget::open(TailedFile &f) {
    last_error_ = 0;
    switch (f.open()) {
    case OpenResult::ok:
        ++open_count_;
        failures_.opened(f);
        f.watch = watcher_.watch_file(f.path);
        if (f.checkpoint_on_open) {
            f.checkpoint_on_open = false;
            f.emit_checkpoint(); // remember a tail start even before the first line
        }
        return true;
    case OpenResult::gone:
        // Renamed or deleted while it had no descriptor: the scan finds whatever is at its
        // path now.
        f.dead = true;
        scan_requested_ = true;
        return false;
    case OpenResult::failed:
        report_open_failure(f, errno);
        return false;
    }
    return false;
}

void DescriptorBudget::report_open_failure(TailedFile &f, int err) {
    last_error_ = err;
    // Out of descriptors: the file keeps its position and is opened when there is room again.
    if (out_of_descriptors(err)) {
        note_shortage(err, "opening \"" + f.path + "\"");
        return;
    }
    failures_.failed(f, err);
}

bool DescriptorBudget::open_within_limit(TailedFile &f) {
    if (failures_.wait_for_scan(f)) return false;
    if (open_count_ >= limit_ && !make_room(&f)) return false;
    return open(f);
}

void DescriptorBudget::close(TailedFile &f) {
    if (!f.is_open()) return;
    if (f.watch >= 0) watcher_.unwatch_file(f.watch);
    f.watch = -1;
    f.close();
    --open_count_;
}

void DescriptorBudget::note_shortage(int err, const std::string &what) {
    const size_t held = open_count_;
    const size_t give = descriptors_to_give_back(held);
    const size_t lowered = held > give ? held - give : 1;
    if (lowered < limit_) limit_ = lowered;
    shed();
    if (!shortage_log_.allow(Clock::now())) return;
    const uint64_t suppressed = shortage_log_.take_suppressed();
    env_.host.warn("out of file descriptors (" + std::string(std::strerror(err)) + ") " + what +
                   " with " + std::to_string(held) + " files open by this input: holding at most " +
                   std::to_string(limit_) + " from now on (max_open_files " +
                   std::to_string(env_.opt.max_open_files) + ", open files limit " +
                   std::to_string(soft_fd_limit()) +
                   "); files wait for a descriptor at their positions, nothing is skipped" +
                   (suppressed > 0 ? " (" + std::to_string(suppressed) +
                                         " more shortages in the last minute were not logged)"
                                   : std::string()));
}

void DescriptorBudget::regrow() {
    if (limit_ >= env_.opt.max_open_files) return;
    const uint64_t used = process_fds();
    if (used == 0) return;
    const size_t grown = regrown_limit(limit_, env_.opt.max_open_files, soft_fd_limit(), used);
    if (grown == limit_) return;
    limit_ = grown;
    env_.host.info("file descriptors are free again: holding at most " + std::to_string(limit_) +
                   " files open (max_open_files " + std::to_string(env_.opt.max_open_files) + ")");
}

// Closes the open, active file that has been idle at its end the longest (see the header for
// which files never qualify).
bool DescriptorBudget::make_room(const TailedFile *for_file) {
    TailedFile *victim = nullptr;
    files_.for_each([&](TailedFile &f) {
        if (!f.is_open() || !f.at_eof || f.state != FileState::active || &f == for_file) return;
        if (!victim || f.eof_since < victim->eof_since) victim = &f;
    });
    if (!victim) return false;
    close(*victim);
    return true;
}

// Closes active files until no more than limit_ are open: those idle at their end first, then
// those whose data is the oldest (closing one only means reading its partial last line again).
// Rotated and deleted files keep theirs (no path reaches them any more).
void DescriptorBudget::shed() {
    while (open_count_ > limit_ && make_room(nullptr)) {
    }
    while (open_count_ > limit_) {
        TailedFile *victim = nullptr;
        files_.for_each([&](TailedFile &f) {
            if (!f.is_open() || f.state != FileState::active) return;
            if (!victim || f.last_data < victim->last_data) victim = &f;
        });
        if (!victim) return;
        close(*victim);
    }
}

} // namespace mafio_filereader
