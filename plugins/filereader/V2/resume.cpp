#include "resume.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <memory>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace mafio_filereader {
namespace {

// The regular files of `dir` by (device, inode) -> path; none when it cannot be read for lack
// of descriptors (`shortage` then holds the errno).
std::optional<std::map<FileKey, std::string>> list_dir(const std::string &dir, int &shortage) {
    std::map<FileKey, std::string> out;
    DIR *d = ::opendir(dir.c_str());
    if (!d) {
        if (!out_of_descriptors(errno)) return out;
        shortage = errno;
        return std::nullopt;
    }
    while (const dirent *e = ::readdir(d)) {
        if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
        const std::string p = (dir == "/" ? "" : dir) + "/" + e->d_name;
        struct stat st {};
        if (::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode))
            out.emplace(FileKey{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino)},
                        p);
    }
    ::closedir(d);
    return out;
}

// The first `want` bytes of the file at `path` (fewer if it is shorter); false if unreadable,
// with errno set.
bool read_prefix_of(const std::string &path, uint32_t want, std::vector<uint8_t> &prefix) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) return false;
    const bool ok = read_prefix(fd, want, prefix);
    const int err = errno;
    ::close(fd);
    errno = err;
    return ok;
}

} // namespace

void Resume::load(const mafio_start_args &args) {
    for (uint32_t i = 0; i < args.checkpoint_count; ++i) {
        const mafio_checkpoint &c = args.checkpoints[i];
        files_.reserve_stream(c.stream);
        auto cp = decode_checkpoint(c.data, c.len);
        if (cp)
            stored_.emplace(c.stream, std::move(*cp));
        else
            undecodable_.push_back(c.stream); // forgotten after the first scan
    }
    fresh_start_ = args.checkpoint_count == 0;
    if (!undecodable_.empty())
        env_.host.warn(std::to_string(undecodable_.size()) +
                       " stored checkpoint(s) are not filereader:V2 "
                       "checkpoints (corrupt or foreign); ignoring them");
    if (!stored_.empty())
        env_.host.info("resuming " + std::to_string(stored_.size()) + " file(s) from checkpoints");
}

bool Resume::any_stored_for(const FoundFile &found) const {
    return std::any_of(stored_.begin(), stored_.end(), [&](const auto &entry) {
        return entry.second.id.same_inode(found.dev, found.ino);
    });
}

// Enough bytes to check the longest stored fingerprint of this inode.
uint32_t Resume::prefix_bytes_wanted(const FoundFile &found) const {
    uint32_t want = env_.opt.fingerprint_bytes;
    for (const auto &[stream, cp] : stored_)
        if (cp.id.same_inode(found.dev, found.ino)) want = std::max(want, cp.id.fp.len);
    return want;
}

std::optional<Resume::Point> Resume::claim(const FoundFile &found, int &shortage) {
    if (!any_stored_for(found)) return std::nullopt;
    std::vector<uint8_t> prefix;
    if (!read_prefix_of(found.path, prefix_bytes_wanted(found), prefix)) {
        if (out_of_descriptors(errno)) shortage = errno;
        return std::nullopt;
    }
    for (auto it = stored_.begin(); it != stored_.end(); ++it) {
        const FileCheckpoint &cp = it->second;
        if (!cp.id.same_inode(found.dev, found.ino)) continue;
        Fingerprint known = cp.id.fp;
        if (check_and_extend(known, prefix.data(), prefix.size()) != PrefixCheck::same) {
            env_.host.warn("\"" + found.path + "\" has the inode of \"" + cp.path +
                           "\" (checkpoint offset " + std::to_string(cp.offset) +
                           ") but other content (truncated and rewritten while stopped, or "
                           "the inode was reused); reading it from its start");
            continue;
        }
        const Point point{it->first, cp.offset, cp.id.fp};
        stored_.erase(it);
        return point;
    }
    return std::nullopt;
}

int Resume::adopt_or_forget_unclaimed(Clock::time_point now, const Scanner &scanner) {
    std::map<std::string, std::map<FileKey, std::string>> listings; // dir -> its files
    size_t kept = 0;
    int shortage = 0;
    for (auto it = stored_.begin(); it != stored_.end();) {
        const auto &[stream, cp] = *it;
        if (!scanner.matches(cp.path)) { // configured away: neither read nor forgotten
            ++kept;
            it = stored_.erase(it);
            continue;
        }
        const std::string dir = dir_of(cp.path);
        auto listing = listings.find(dir);
        if (listing == listings.end()) {
            auto files = list_dir(dir, shortage);
            if (!files) return shortage; // the rest is settled at the next scan
            listing = listings.emplace(dir, std::move(*files)).first;
        }
        const auto hit = listing->second.find(FileKey{cp.id.dev, cp.id.ino});
        // Still at its stored path yet not claimed by the scan: not a rename.
        int adopted = 0;
        if (hit != listing->second.end() && hit->second != cp.path && !files_.contains(hit->first))
            adopted = adopt_rotated_while_stopped(stream, cp, hit->second, now);
        if (adopted < 0) return -adopted;
        if (adopted == 0) files_.forget_stream(stream);
        it = stored_.erase(it);
    }
    kept_ += kept;
    if (kept_ > 0)
        env_.host.info("keeping " + std::to_string(kept_) +
                       " stored checkpoint(s) of files the configured paths no longer name "
                       "(not read; they resume if the paths name them again)");
    for (uint32_t stream : undecodable_)
        files_.forget_stream(stream);
    undecodable_.clear();
    return 0;
}

// Adopts the stored file now at `now_at` only when it opens as the same file at the same
// offset: a truncated or rewritten one is handled like a new file found by the scan.
int Resume::adopt_rotated_while_stopped(uint32_t stream, const FileCheckpoint &cp,
                                        const std::string &now_at, Clock::time_point now) {
    auto f = std::make_unique<TailedFile>(env_, stream, now_at, cp.id.dev, cp.id.ino);
    f->id.fp = cp.id.fp;
    f->resume_offset = cp.offset;
    if (!descriptors_.open(*f)) {
        const int err = descriptors_.last_error();
        return out_of_descriptors(err) ? -err : 0;
    }
    if (f->read_offset() != cp.offset) {
        descriptors_.close(*f);
        return 0;
    }
    env_.host.info("\"" + cp.path + "\" was renamed to \"" + now_at +
                   "\" while stopped; reading it to its end");
    release_.follow_as_rotated(*f, now);
    files_.add(std::move(f));
    return 1;
}

} // namespace mafio_filereader
