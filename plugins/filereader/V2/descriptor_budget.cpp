#include "descriptor_budget.hpp"

#include <cerrno>
#include <cstring>
#include <string>

namespace mafio_filereader {

bool DescriptorBudget::open(TailedFile &f) {
    switch (f.open()) {
    case OpenResult::ok:
        ++open_count_;
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
        report_open_failure(f);
        return false;
    }
    return false;
}

void DescriptorBudget::report_open_failure(TailedFile &f) {
    if (!f.open_error_logged)
        env_.host.warn("cannot open \"" + f.path + "\": " + std::strerror(errno) +
                       "; trying again at each scan");
    f.open_error_logged = true;
    // Out of descriptors: retried at the next round. Anything else waits for the next scan.
    if (errno == EMFILE || errno == ENFILE) return;
    f.known_size = f.resume_offset;
}

bool DescriptorBudget::open_within_limit(TailedFile &f) {
    if (open_count_ >= env_.opt.max_open_files && !make_room(&f)) return false;
    return open(f);
}

void DescriptorBudget::close(TailedFile &f) {
    if (!f.is_open()) return;
    if (f.watch >= 0) watcher_.unwatch_file(f.watch);
    f.watch = -1;
    f.close();
    --open_count_;
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

} // namespace mafio_filereader
