#include "release_policy.hpp"

#include <string>

namespace mafio_filereader {

void ReleasePolicy::left_patterns(TailedFile &f, Clock::time_point now) {
    if (!f.is_open()) {
        // Gone while waiting for a descriptor: nothing to follow it by.
        if (f.known_size > f.resume_offset)
            env_.host.warn("\"" + f.path +
                           "\" disappeared while waiting for a descriptor "
                           "(max_open_files) with " +
                           std::to_string(f.known_size - f.resume_offset) + " unread byte(s)");
        f.dead = true;
        return;
    }
    if (f.link_count() == 0) {
        f.state = FileState::deleted;
        env_.host.info("\"" + f.path + "\" was deleted; reading it to its end");
        f.noticed_at = now;
        return;
    }
    env_.host.info("\"" + f.path +
                   "\" was renamed away (rotated); reading it to its end for "
                   "rotate_wait");
    follow_as_rotated(f, now);
}

void ReleasePolicy::follow_as_rotated(TailedFile &f, Clock::time_point now) {
    env_.host.add(env_.m.rotations, 1);
    f.state = FileState::rotated;
    f.noticed_at = now;
}

void ReleasePolicy::release_due(Clock::time_point now) {
    files_.for_each([&](TailedFile &f) {
        if (f.dead || f.state == FileState::active || !f.at_eof || !due(f, now)) return;
        // One last look: the writer may have appended after our last read.
        if (f.is_open() && f.read_once() == ReadResult::data) {
            f.at_eof = false;
            return;
        }
        release(f);
    });
    files_.drop_dead(descriptors_);
}

bool ReleasePolicy::due(const TailedFile &f, Clock::time_point now) const {
    return f.state == FileState::rotated ? now >= f.noticed_at + env_.opt.rotate_wait
                                         : now >= f.eof_since + env_.opt.close_timeout;
}

void ReleasePolicy::release(TailedFile &f) {
    env_.host.info("released \"" + f.path + "\" (" +
                   (f.state == FileState::rotated ? "rotated" : "deleted") + ") at offset " +
                   std::to_string(f.read_offset()));
    f.finish(); // its unterminated last line, if any, will never be completed now
    descriptors_.close(f);
    f.dead = true;
}

} // namespace mafio_filereader
