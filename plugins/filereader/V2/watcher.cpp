#include "watcher.hpp"

#include <cerrno>
#include <poll.h>
#include <sys/inotify.h>
#include <thread>
#include <unistd.h>
#include <utility>

namespace mafio_filereader {

namespace {
constexpr uint32_t kDirMask = IN_CREATE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE | IN_DELETE_SELF |
                              IN_MOVE_SELF | IN_ATTRIB | IN_ONLYDIR;
// IN_ATTRIB: a link count dropping to 0 (unlink of an open file) is reported as an attribute
// change on the file itself.
constexpr uint32_t kFileMask = IN_MODIFY | IN_MOVE_SELF | IN_DELETE_SELF | IN_ATTRIB;
} // namespace

Watcher::Watcher(std::function<void()> on_watch_limit)
    : on_watch_limit_(std::move(on_watch_limit)) {}

Watcher::~Watcher() {
    stop();
}

void Watcher::start(bool enabled) {
    if (enabled) fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
}

void Watcher::stop() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    dirs_.clear();
    dir_of_wd_.clear();
    move_from_.clear();
}

void Watcher::note_add_watch_failure() {
    if (errno != ENOSPC && errno != ENOMEM) return; // e.g. a missing path: tried again later
    if (degraded_) return;
    degraded_ = true;
    if (on_watch_limit_) on_watch_limit_();
}

void Watcher::watch_dir(const std::string &dir) {
    if (fd_ < 0 || dirs_.count(dir)) return;
    const int wd = ::inotify_add_watch(fd_, dir.c_str(), kDirMask);
    if (wd < 0) {
        note_add_watch_failure();
        return; // missing directory: the next scan tries again
    }
    dirs_.emplace(dir, wd);
    dir_of_wd_[wd] = dir;
}

int Watcher::watch_file(const std::string &path) {
    if (fd_ < 0) return -1;
    const int wd = ::inotify_add_watch(fd_, path.c_str(), kFileMask);
    if (wd < 0) note_add_watch_failure();
    return wd;
}

void Watcher::unwatch_file(int wd) {
    // Watches of files in watched directories may share a wd with nothing else; removing a
    // watch the kernel already dropped (file deleted) fails harmlessly with EINVAL.
    if (fd_ >= 0 && wd >= 0) ::inotify_rm_watch(fd_, wd);
}

Watcher::Events Watcher::wait(std::chrono::milliseconds timeout) {
    if (fd_ < 0) {
        if (timeout.count() > 0) std::this_thread::sleep_for(timeout);
        return {};
    }
    Events ev;
    drain(ev);
    if (ev.files || ev.dirs || timeout.count() <= 0) return ev;
    pollfd p{fd_, POLLIN, 0};
    int r;
    do {
        r = ::poll(&p, 1, static_cast<int>(timeout.count()));
    } while (r < 0 && errno == EINTR);
    if (r > 0) drain(ev);
    return ev;
}

void Watcher::drain(Events &ev) {
    alignas(inotify_event) char buf[16384];
    for (;;) {
        const ssize_t n = ::read(fd_, buf, sizeof buf);
        if (n <= 0) break; // EAGAIN: drained
        for (ssize_t i = 0; i < n;) {
            const auto *e = reinterpret_cast<const inotify_event *>(buf + i);
            if (e->mask & IN_Q_OVERFLOW) ev.dirs = ev.files = true; // events lost: look at all
            if (e->mask & IN_MODIFY) ev.files = true;
            if (e->mask & (IN_CREATE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE | IN_DELETE_SELF |
                           IN_MOVE_SELF | IN_ATTRIB))
                ev.dirs = true;
            if (e->len > 0 && (e->mask & (IN_MOVED_FROM | IN_MOVED_TO))) {
                auto dir = dir_of_wd_.find(e->wd);
                if (dir != dir_of_wd_.end()) {
                    std::string p = (dir->second == "/" ? "" : dir->second) + "/" + e->name;
                    if (e->mask & IN_MOVED_FROM) {
                        if (move_from_.size() > 4096) move_from_.clear(); // unpaired: bounded
                        move_from_[e->cookie] = std::move(p);
                    } else if (auto from = move_from_.find(e->cookie); from != move_from_.end()) {
                        ev.moves.emplace_back(std::move(from->second), std::move(p));
                        move_from_.erase(from);
                    }
                }
            }
            if (e->mask & IN_IGNORED) {
                // The kernel dropped a watch (its directory went away): let it be re-added.
                for (auto it = dirs_.begin(); it != dirs_.end(); ++it)
                    if (it->second == e->wd) {
                        dir_of_wd_.erase(it->second);
                        dirs_.erase(it);
                        break;
                    }
            }
            i += static_cast<ssize_t>(sizeof(inotify_event) + e->len);
        }
    }
}

} // namespace mafio_filereader
