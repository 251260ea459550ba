#include "round_robin_reader.hpp"

#include <cerrno>
#include <cstring>
#include <string>

namespace mafio_filereader {

bool RoundRobinReader::read_round(Clock::time_point now) {
    bool emitted = false;
    room_may_exist_ = true;
    for (TailedFile *f : files_.round_robin_order()) {
        if (env_.host.stopping()) break;
        if (f->dead || !ready_to_read(*f)) continue;
        emitted = read_one_batch(*f, now) || emitted;
    }
    files_.drop_dead(descriptors_);
    return emitted;
}

// Open, or opened now: a closed file with nothing new stays closed.
bool RoundRobinReader::ready_to_read(TailedFile &f) {
    if (f.is_open()) return true;
    if (f.nothing_new_while_closed()) return false;
    // At the limit, finding a file to close looks at every file. Once that found none, none
    // appears before a file of this round reaches its end (or a descriptor is closed): 4,000
    // closed files waiting would otherwise make each round quadratic in the files.
    const bool at_limit = descriptors_.open_count() >= env_.opt.max_open_files;
    if (at_limit && !room_may_exist_) return false;
    if (descriptors_.open_within_limit(f)) return true;
    if (descriptors_.open_count() >= env_.opt.max_open_files) room_may_exist_ = false;
    return false;
}

bool RoundRobinReader::read_one_batch(TailedFile &f, Clock::time_point now) {
    switch (f.read_once()) {
    case ReadResult::data:
        f.at_eof = false;
        f.last_data = now;
        return true;
    case ReadResult::eof:
        if (!f.at_eof) {
            f.eof_since = now;
            room_may_exist_ = true; // it may give its descriptor up now
        }
        f.at_eof = true;
        return false;
    case ReadResult::error:
        env_.host.warn("cannot read \"" + f.path + "\": " + std::strerror(errno) +
                       "; closing it, it is reopened at the next scan");
        descriptors_.close(f);
        return false;
    }
    return false;
}

} // namespace mafio_filereader
