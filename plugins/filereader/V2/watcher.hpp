// Change notification for filereader:V2: inotify when it works, plain timing when it does not.
//
// inotify is only a hint that makes the reader fast: every event just says "look now". The
// reader also checks open files every poll_interval and scans the patterns every scan_interval
// regardless, so a lost event (queue overflow), a watch that could not be added (ENOSPC: the
// per-user watch limit), a filesystem without inotify (NFS, some FUSE) or inotify_init failing
// only costs latency, never data.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace mafio_filereader {

class Watcher {
public:
    // What the events since the last call were about.
    struct Events {
        bool files = false; // an open file was written (IN_MODIFY)
        bool dirs = false;  // a directory entry or a watched file's name changed: scan again
        // Renames inside watched directories, in the order they happened: (from, to) paths.
        // Lets the reader catch a file created and renamed away between two scans.
        std::vector<std::pair<std::string, std::string>> moves;
    };

    // `on_watch_limit` is called once, the first time a watch cannot be added (the per-user
    // watch limit): the caller logs that it now relies on its timers for what is unwatched.
    explicit Watcher(std::function<void()> on_watch_limit);
    ~Watcher();
    Watcher(const Watcher &) = delete;
    Watcher &operator=(const Watcher &) = delete;

    // Opens inotify when `enabled` (errno tells why when active() is false afterwards).
    void start(bool enabled);
    // Closes inotify: no more watches or events.
    void stop();
    // False when inotify is off, failed or stopped: the caller relies on its timers alone.
    bool active() const { return fd_ >= 0; }
    // Every watch asked for could be added: events alone tell about every change.
    bool complete() const { return fd_ >= 0 && !degraded_; }
    // The inotify descriptor (readable when events wait), -1 when not active.
    int fd() const { return fd_; }

    // Watches a directory for entries appearing, moving and disappearing. Idempotent per path.
    void watch_dir(const std::string &dir);
    // Watches an open file (by the inode `path` names now) for writes and renames; returns the
    // watch descriptor or -1.
    int watch_file(const std::string &path);
    void unwatch_file(int wd);

    // Waits up to `timeout` for events (poll(2) on the inotify descriptor; a plain sleep when
    // inotify is not active) and returns what they were about.
    Events wait(std::chrono::milliseconds timeout);

private:
    void drain(Events &ev);
    void note_add_watch_failure(); // after inotify_add_watch failed, with its errno

    int fd_ = -1;
    bool degraded_ = false; // some watch could not be added (on_watch_limit_ was called)
    std::function<void()> on_watch_limit_;
    std::unordered_map<std::string, int> dirs_;           // path -> watch descriptor
    std::unordered_map<int, std::string> dir_of_wd_;      // watch descriptor -> path
    std::unordered_map<uint32_t, std::string> move_from_; // cookie -> path (IN_MOVED_FROM seen)
};

} // namespace mafio_filereader
