#include "discovery.hpp"

#include <cerrno>
#include <fcntl.h>
#include <memory>
#include <optional>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

namespace mafio_filereader {
namespace {

// How far back from the end a `read_from: tail` start looks for a line boundary.
constexpr uint64_t kTailLookback = 64 * 1024;

// The start of the line that is being written at the end of the file (or the end itself),
// so that a tail start never begins in the middle of a line. None when the file cannot be
// opened for lack of descriptors (decided at a later scan).
std::optional<uint64_t> tail_offset(const std::string &path, uint64_t size) {
    if (size == 0) return 0;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        if (out_of_descriptors(errno)) return std::nullopt;
        return size;
    }
    const uint64_t from = size > kTailLookback ? size - kTailLookback : 0;
    std::vector<char> buf(size - from);
    const ssize_t n = ::pread(fd, buf.data(), buf.size(), static_cast<off_t>(from));
    ::close(fd);
    if (n <= 0) return size;
    for (ssize_t i = n - 1; i >= 0; --i)
        if (buf[static_cast<size_t>(i)] == '\n') return from + static_cast<uint64_t>(i) + 1;
    return from == 0 ? 0 : size;
}

} // namespace

ScanResult Discovery::scan(Clock::time_point now) {
    ScanResult r = scanner_.scan();
    for (const auto &d : r.dirs)
        watcher_.watch_dir(d);

    std::set<FileKey> seen;
    for (const auto &ff : r.files) {
        const FileKey key{ff.dev, ff.ino};
        seen.insert(key);
        if (TailedFile *f = files_.find(key))
            follow_on(*f, ff);
        else if (const int err = track(ff); err != 0 && r.complete()) {
            r.shortage = err;
            r.shortage_at = ff.path;
        }
    }
    if (!r.complete()) {
        // Files not seen may only have been out of reach: nothing is concluded about them.
        descriptors_.note_shortage(r.shortage, "scanning \"" + r.shortage_at + "\"");
        files_.drop_dead(descriptors_);
        return r;
    }
    files_.for_each([&](TailedFile &f) {
        if (f.state != FileState::active || f.dead || seen.count(FileKey{f.id.dev, f.id.ino}))
            return;
        release_.left_patterns(f, now);
    });
    files_.drop_dead(descriptors_);
    if (!first_scan_done_) {
        const int err = resume_.adopt_or_forget_unclaimed(now, scanner_);
        if (err != 0) {
            descriptors_.note_shortage(err, "resuming the stored checkpoints");
            r.shortage = err;
            return r;
        }
        first_scan_done_ = true;
    }
    return r;
}

// A file found again: it may have grown, been renamed within the patterns, or come back.
void Discovery::follow_on(TailedFile &f, const FoundFile &found) {
    f.known_size = found.size;
    if (f.path != found.path) {
        // Renamed to another name the patterns match (app.log -> app.log.1 with path
        // "app.log*"): the same file, followed on under its new name.
        env_.host.info("\"" + f.path + "\" was renamed to \"" + found.path + "\"");
        env_.host.add(env_.m.rotations, 1);
        f.path = found.path;
    }
    if (f.state == FileState::rotated) f.state = FileState::active; // back in view
}

// A file not followed yet (see the header for where it starts).
int Discovery::track(const FoundFile &found) {
    std::optional<Resume::Point> resumed;
    if (!first_scan_done_) {
        int err = 0;
        resumed = resume_.claim(found, err);
        if (err != 0) return err;
    }
    std::optional<uint64_t> tail;
    if (!resumed && env_.opt.read_from_tail && resume_.fresh_start() && !first_scan_done_) {
        tail = tail_offset(found.path, found.size);
        if (!tail) return EMFILE;
    }
    const uint32_t stream = resumed ? resumed->stream : files_.new_stream();
    auto f = std::make_unique<TailedFile>(env_, stream, found.path, found.dev, found.ino);
    f->known_size = found.size;
    if (resumed) {
        f->id.fp = resumed->fp;
        f->resume_offset = resumed->offset;
    } else if (tail) {
        f->resume_offset = *tail;
        f->checkpoint_on_open = f->resume_offset > 0;
    }
    files_.add(std::move(f));
    return 0;
}

void Discovery::follow_renamed_away(const std::vector<std::pair<std::string, std::string>> &moves) {
    std::vector<std::string> away; // where each file renamed out of the patterns is now
    for (const auto &[from, to] : moves) {
        for (auto &p : away)
            if (p == from) p = to;
        if (scanner_.matches(from) && !scanner_.matches(to)) away.push_back(to);
    }
    const auto now = Clock::now();
    for (const auto &p : away)
        follow_created_and_rotated(p, now);
}

void Discovery::follow_created_and_rotated(const std::string &path, Clock::time_point now) {
    struct stat st {};
    if (scanner_.matches(path) || ::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return;
    const FileKey key{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino)};
    if (files_.contains(key)) return; // followed: the scan notices the rename
    auto f = std::make_unique<TailedFile>(env_, files_.new_stream(), path, key.first, key.second);
    f->known_size = static_cast<uint64_t>(st.st_size);
    if (!descriptors_.open(*f)) {
        // Out of descriptors: it is followed closed, by its new name, and opened when there is
        // room (the read round). Anything else: there is no later chance to read it.
        if (!out_of_descriptors(descriptors_.last_error())) return;
    }
    env_.host.info("\"" + path +
                   "\" was created and renamed away between two scans; "
                   "reading it from its start to its end");
    release_.follow_as_rotated(*f, now);
    files_.add(std::move(f));
}

} // namespace mafio_filereader
