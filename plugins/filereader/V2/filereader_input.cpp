// filereader:V2 — follows the files matching glob patterns through rename rotation,
// copytruncate, deletion and restarts, checkpointing each batch so that delivery is
// at-least-once across crashes.
//
// One poll() = (maybe) one scan of the patterns, then one round over the files in round-robin
// order giving each file with new data one batch (at most one LineReader chunk, 256 KiB), so a
// busy file cannot starve the others and per-file order is kept. When no file had data, poll()
// waits for inotify (or just sleeps) for at most ~90 ms so that the agent can stop promptly.
//
// Streams: one stream id per file. A file recognised from a stored checkpoint keeps that
// checkpoint's stream id; new files get ids above every stored one. A stored checkpoint whose
// file is gone after the first scan is forgotten with an empty batch carrying an empty
// checkpoint; so is a file's stream when the file is released (rotated away or deleted).
#include "checkpoint_codec.hpp"
#include "filereader_options.hpp"
#include "scanner.hpp"
#include "tailed_file.hpp"
#include "watcher.hpp"

#include <mafio/plugin.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <map>
#include <sys/stat.h>
#include <unistd.h>
#include <unordered_map>

namespace mafio_filereader {
namespace {

using std::chrono::milliseconds;
using Key = std::pair<uint64_t, uint64_t>; // (st_dev, st_ino)

// Longest wait inside one poll(): the ABI asks for a return within ~100 ms when idle.
constexpr milliseconds kLongestWait{90};
// Scans triggered by directory events are spaced at least this much (a directory with constant
// churn must not make every poll a glob).
constexpr milliseconds kMinScanSpacing{20};
// How far back from the end a `read_from: tail` start looks for a line boundary.
constexpr uint64_t kTailLookback = 64 * 1024;

class FileReaderV2 final : public mafio::Input {
public:
    FileReaderV2(mafio::Host host, mafio::Options &o)
        : Input(host), opt_(o), scanner_(opt_.paths, opt_.excludes),
          env_{host, opt_, register_metrics(host), {}},
          open_gauge_(host.gauge("open_files", "file descriptors held")),
          tracked_gauge_(host.gauge("tracked_files", "files followed (open or waiting)")) {}

    void start(const mafio_start_args &args) override {
        size_t bad = 0;
        for (uint32_t i = 0; i < args.checkpoint_count; ++i) {
            const mafio_checkpoint &c = args.checkpoints[i];
            next_stream_ = std::max(next_stream_, c.stream + 1);
            auto cp = decode_checkpoint(c.data, c.len);
            if (!cp) {
                ++bad;
                stale_streams_.push_back(c.stream); // forgotten after the first scan
                continue;
            }
            stored_.emplace(c.stream, std::move(*cp));
        }
        fresh_start_ = args.checkpoint_count == 0;
        if (bad)
            host().warn(std::to_string(bad) + " stored checkpoint(s) are not filereader:V2 "
                                              "checkpoints (corrupt or foreign); ignoring them");
        if (!stored_.empty())
            host().info("resuming " + std::to_string(stored_.size()) + " file(s) from checkpoints");
        watcher_ = std::make_unique<Watcher>(opt_.inotify);
        if (opt_.inotify && !watcher_->active())
            host().warn(std::string("inotify unavailable (") + std::strerror(errno) +
                        "); polling files every poll_interval and scanning every scan_interval");
    }

    mafio_status poll() override {
        const auto now = Clock::now();
        // Events are drained on every poll, not only when idle: while data flows, a rotation
        // must still be noticed at once (a new file renamed away before any scan saw it would
        // be missed).
        take(watcher_->wait(milliseconds(0)));
        if (!first_scan_done_ || now >= next_scan_ ||
            (scan_wanted_ && now >= last_scan_ + kMinScanSpacing))
            scan(now);
        bool emitted = false;
        if (busy_ || check_wanted_ || now >= next_check_ || opt_.exit_on_eof) {
            check_wanted_ = false;
            next_check_ = now + opt_.poll_interval;
            emitted = read_round(Clock::now());
            busy_ = emitted;
        }
        release_finished(Clock::now());
        update_gauges();
        if (host().stopping()) return MAFIO_OK;
        if (emitted) return MAFIO_OK;
        if (opt_.exit_on_eof && all_read()) {
            for (auto &[key, f] : files_) f->finish();
            return MAFIO_EOF;
        }
        wait_for_events();
        return MAFIO_OK; // we already waited: call again at once
    }

    void stop() override {
        for (auto &[key, f] : files_) f->close();
        files_.clear();
        watcher_.reset();
    }

private:
    static Metrics register_metrics(const mafio::Host &h) {
        return Metrics{
            h.counter("lines", "lines read"),
            h.counter("bytes", "bytes of lines read (without line terminators)"),
            h.counter("truncated_lines", "lines longer than max_line_bytes, truncated"),
            h.counter("skipped_lines", "lines longer than max_line_bytes, skipped"),
            h.counter("rotations", "files renamed (rotation) while followed"),
            h.counter("truncations", "files truncated or rewritten in place, read again from 0"),
            h.counter("files_opened", "file descriptors opened"),
            h.counter("files_closed", "file descriptors closed"),
        };
    }

    // ---- scanning ------------------------------------------------------------------------

    void scan(Clock::time_point now) {
        last_scan_ = now;
        next_scan_ = now + opt_.scan_interval;
        scan_wanted_ = false;
        std::vector<std::string> dirs;
        const std::vector<FoundFile> found = scanner_.scan(dirs);
        for (const auto &d : dirs) watcher_->watch_dir(d);
        note_degraded_watcher();

        for (auto &[key, f] : files_) seen_[key] = false;
        for (const auto &ff : found) {
            const Key key{ff.dev, ff.ino};
            auto it = files_.find(key);
            if (it == files_.end()) {
                track(ff);
                continue;
            }
            seen_[key] = true;
            TailedFile &f = *it->second;
            f.known_size = ff.size;
            if (f.path != ff.path) {
                // Renamed to another name the patterns match (app.log -> app.log.1 with
                // path "app.log*"): the same file, followed on under its new name.
                host().info("\"" + f.path + "\" was renamed to \"" + ff.path + "\"");
                host().add(env_.m.rotations, 1);
                f.path = ff.path;
            }
            if (f.state == FileState::rotated) f.state = FileState::active; // back in view
        }
        for (auto &[key, fp] : files_) {
            TailedFile &f = *fp;
            if (seen_[key] || f.state != FileState::active || f.dead) continue;
            if (!f.is_open()) {
                // Gone while waiting for a descriptor: nothing to follow it by.
                if (f.known_size > f.resume_offset)
                    host().warn("\"" + f.path + "\" disappeared while waiting for a descriptor "
                                "(max_open_files) with " +
                                std::to_string(f.known_size - f.resume_offset) +
                                " unread byte(s)");
                f.dead = true;
                continue;
            }
            if (f.link_count() == 0) {
                f.state = FileState::deleted;
                host().info("\"" + f.path + "\" was deleted; reading it to its end");
            } else {
                f.state = FileState::rotated;
                host().add(env_.m.rotations, 1);
                host().info("\"" + f.path + "\" was renamed away (rotated); reading it to its "
                            "end for rotate_wait");
            }
            f.noticed_at = now;
        }
        drop_dead();
        if (!first_scan_done_) {
            first_scan_done_ = true;
            adopt_or_forget_stored(now);
        }
        seen_.clear();
    }

    // A file not followed yet: resume it from a stored checkpoint when one names it (same
    // device, inode and fingerprint), else start it as new.
    void track(const FoundFile &ff) {
        uint32_t stream = 0;
        uint64_t offset = 0;
        Fingerprint fp;
        bool resumed = false;
        if (!first_scan_done_) resumed = claim_stored(ff.path, ff.dev, ff.ino, stream, offset, fp);
        bool checkpoint_now = false;
        if (!resumed) {
            stream = next_stream_++;
            // read_from applies to what the very first scan of the very first run finds; later
            // (or after a restart) a file we do not know is new data, read from its start.
            if (opt_.read_from_tail && fresh_start_ && !first_scan_done_) {
                offset = tail_offset(ff.path, ff.size);
                checkpoint_now = offset > 0;
            }
        }
        auto f = std::make_unique<TailedFile>(env_, stream, ff.path, ff.dev, ff.ino);
        f->id.fp = fp;
        f->resume_offset = offset;
        f->known_size = ff.size;
        f->checkpoint_on_open = checkpoint_now;
        seen_[Key{ff.dev, ff.ino}] = true;
        files_.emplace(Key{ff.dev, ff.ino}, std::move(f));
    }

    // Looks for a stored checkpoint of (dev, ino) whose fingerprint the file still matches and
    // takes it out of stored_. Reads the file's first bytes.
    bool claim_stored(const std::string &path, uint64_t dev, uint64_t ino, uint32_t &stream,
                      uint64_t &offset, Fingerprint &fp) {
        bool any = false;
        for (const auto &[s, cp] : stored_) any = any || cp.id.same_inode(dev, ino);
        if (!any) return false;
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0) return false;
        uint32_t want = opt_.fingerprint_bytes;
        for (const auto &[s, cp] : stored_)
            if (cp.id.same_inode(dev, ino)) want = std::max(want, cp.id.fp.len);
        std::vector<uint8_t> prefix;
        const bool ok = read_prefix(fd, want, prefix);
        ::close(fd);
        if (!ok) return false;
        for (auto it = stored_.begin(); it != stored_.end(); ++it) {
            if (!it->second.id.same_inode(dev, ino)) continue;
            Fingerprint known = it->second.id.fp;
            if (check_and_extend(known, prefix.data(), prefix.size()) != PrefixCheck::same) {
                host().warn("\"" + path + "\" has the inode of \"" + it->second.path +
                            "\" (checkpoint offset " + std::to_string(it->second.offset) +
                            ") but other content (truncated and rewritten while stopped, or "
                            "the inode was reused); reading it from its start");
                continue;
            }
            stream = it->first;
            offset = it->second.offset;
            fp = it->second.id.fp;
            stored_.erase(it);
            return true;
        }
        return false;
    }

    // After the first scan: a stored file that no pattern matched any more may have been
    // rotated while we were stopped. Look for its inode in the directory it was in; if it is
    // there (same fingerprint), read it to its end like a file rotated while running. Anything
    // else is forgotten.
    void adopt_or_forget_stored(Clock::time_point now) {
        std::map<std::string, std::map<Key, std::string>> listings; // dir -> inode -> path
        for (auto &[stream, cp] : stored_) {
            const std::string dir = dir_of(cp.path);
            auto lit = listings.find(dir);
            if (lit == listings.end()) lit = listings.emplace(dir, list_dir(dir)).first;
            const auto hit = lit->second.find(Key{cp.id.dev, cp.id.ino});
            if (hit != lit->second.end() && !files_.count(hit->first)) {
                auto f = std::make_unique<TailedFile>(env_, stream, hit->second, cp.id.dev,
                                                      cp.id.ino);
                f->id.fp = cp.id.fp;
                f->resume_offset = cp.offset;
                // Adopt only when it opens as the same file at the same offset (not truncated,
                // not rewritten: those are handled like a new file found by the scan).
                if (open_file(*f) && f->read_offset() == cp.offset) {
                    host().info("\"" + cp.path + "\" was renamed to \"" + hit->second +
                                "\" while stopped; reading it to its end");
                    host().add(env_.m.rotations, 1);
                    f->state = FileState::rotated;
                    f->noticed_at = now;
                    files_.emplace(hit->first, std::move(f));
                    continue;
                }
                close_file(*f);
            }
            forget(stream);
        }
        stored_.clear();
        for (uint32_t s : stale_streams_) forget(s);
        stale_streams_.clear();
    }

    static std::map<Key, std::string> list_dir(const std::string &dir) {
        std::map<Key, std::string> out;
        DIR *d = ::opendir(dir.c_str());
        if (!d) return out;
        while (const dirent *e = ::readdir(d)) {
            if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
            const std::string p = (dir == "/" ? "" : dir) + "/" + e->d_name;
            struct stat st {};
            if (::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode))
                out.emplace(Key{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino)},
                            p);
        }
        ::closedir(d);
        return out;
    }

    // The start of the line that is being written at the end of the file (or the end itself),
    // so that a tail start never begins in the middle of a line.
    static uint64_t tail_offset(const std::string &path, uint64_t size) {
        if (size == 0) return 0;
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0) return size;
        const uint64_t from = size > kTailLookback ? size - kTailLookback : 0;
        std::vector<char> buf(size - from);
        const ssize_t n = ::pread(fd, buf.data(), buf.size(), static_cast<off_t>(from));
        ::close(fd);
        if (n <= 0) return size;
        for (ssize_t i = n - 1; i >= 0; --i)
            if (buf[static_cast<size_t>(i)] == '\n') return from + static_cast<uint64_t>(i) + 1;
        return from == 0 ? 0 : size;
    }

    // ---- reading -------------------------------------------------------------------------

    // One pass over the files, starting one further each time: each file with new data gives
    // one batch. Files without a descriptor are opened when a slot is free (or can be freed).
    bool read_round(Clock::time_point now) {
        std::vector<TailedFile *> order;
        order.reserve(files_.size());
        for (auto &[key, f] : files_) order.push_back(f.get());
        if (order.empty()) return false;
        const size_t start = rr_++ % order.size();
        bool emitted = false;
        for (size_t i = 0; i < order.size(); ++i) {
            if (host().stopping()) break;
            TailedFile &f = *order[(start + i) % order.size()];
            if (f.dead) continue;
            if (!f.is_open()) {
                if (f.ever_opened && f.known_size == f.resume_offset) continue; // nothing new
                if (open_count_ >= opt_.max_open_files && !make_room(&f)) continue;
                if (!open_file(f)) continue;
            }
            const ReadResult r = f.read_once();
            if (r == ReadResult::data) {
                emitted = true;
                f.at_eof = false;
                f.last_data = now;
            } else if (r == ReadResult::eof) {
                if (!f.at_eof) f.eof_since = now;
                f.at_eof = true;
            } else {
                host().warn("cannot read \"" + f.path + "\": " + std::strerror(errno) +
                            "; closing it, it is reopened at the next scan");
                close_file(f);
            }
        }
        drop_dead();
        return emitted;
    }

    bool open_file(TailedFile &f) {
        switch (f.open()) {
        case OpenResult::ok:
            ++open_count_;
            watch(f);
            if (f.checkpoint_on_open) {
                f.checkpoint_on_open = false;
                f.emit_checkpoint(); // remember a tail start even before the first line
            }
            return true;
        case OpenResult::gone:
            // Renamed or deleted while it had no descriptor: the scan finds whatever is at
            // its path now.
            f.dead = true;
            scan_wanted_ = true;
            return false;
        case OpenResult::failed:
            if (!f.open_error_logged)
                host().warn("cannot open \"" + f.path + "\": " + std::strerror(errno) +
                            "; trying again at each scan");
            f.open_error_logged = true;
            if (errno == EMFILE || errno == ENFILE) return false;
            f.known_size = f.resume_offset; // wait for the next scan to try again
            return false;
        }
        return false;
    }

    void close_file(TailedFile &f) {
        if (!f.is_open()) return;
        if (f.watch >= 0) watcher_->unwatch_file(f.watch);
        f.watch = -1;
        f.close();
        --open_count_;
    }

    void watch(TailedFile &f) {
        f.watch = watcher_->watch_file(f.path);
        note_degraded_watcher();
    }

    // Over max_open_files: close the file that has been idle at its end the longest. Files
    // that are not at their end keep their descriptor (closing them would only re-read the
    // held partial line), and renamed/deleted files must keep theirs (no path reaches them).
    // The trade-off: a closed file is only looked at again by the scan (scan_interval), and a
    // file renamed away while closed cannot be followed.
    bool make_room(const TailedFile *for_file) {
        TailedFile *victim = nullptr;
        for (auto &[key, f] : files_) {
            if (!f->is_open() || !f->at_eof || f->state != FileState::active ||
                f.get() == for_file)
                continue;
            if (!victim || f->eof_since < victim->eof_since) victim = f.get();
        }
        if (!victim) return false;
        close_file(*victim);
        return true;
    }

    // Files renamed away or deleted are released once read to their end and their time is up.
    void release_finished(Clock::time_point now) {
        for (auto &[key, f] : files_) {
            if (f->dead || f->state == FileState::active || !f->at_eof) continue;
            const bool due = f->state == FileState::rotated
                                 ? now >= f->noticed_at + opt_.rotate_wait
                                 : now >= f->eof_since + opt_.close_timeout;
            if (!due) continue;
            // One last look: the writer may have appended after our last read.
            if (f->is_open() && f->read_once() == ReadResult::data) {
                f->at_eof = false;
                continue;
            }
            host().info("released \"" + f->path + "\" (" +
                        (f->state == FileState::rotated ? "rotated" : "deleted") +
                        ") at offset " + std::to_string(f->read_offset()));
            f->finish(); // its unterminated last line, if any, will never be completed now
            close_file(*f);
            f->dead = true;
        }
        drop_dead();
    }

    // Drops files marked dead and forgets their streams (in emit order, after their data).
    void drop_dead() {
        for (auto it = files_.begin(); it != files_.end();) {
            if (!it->second->dead) {
                ++it;
                continue;
            }
            close_file(*it->second);
            forget(it->second->stream);
            it = files_.erase(it);
        }
    }

    // An empty batch with an empty checkpoint: the host forgets the stream.
    void forget(uint32_t stream) {
        mafio_batch *b = host().new_batch(0, 0);
        b->stream = stream;
        static const uint8_t nothing = 0;
        host().set_checkpoint(b, &nothing, 0);
        (void)host().emit(b);
    }

    bool all_read() const {
        if (!first_scan_done_) return false;
        for (const auto &[key, f] : files_) {
            if (f->dead) continue;
            if (f->is_open() ? !f->at_eof : (!f->ever_opened || f->known_size != f->resume_offset))
                return false;
        }
        return true;
    }

    void wait_for_events() {
        const auto now = Clock::now();
        auto until = std::min(next_scan_, next_check_);
        auto wait = until > now ? std::chrono::duration_cast<milliseconds>(until - now)
                                : milliseconds(0);
        wait = std::clamp(wait, milliseconds(1), kLongestWait);
        take(watcher_->wait(wait));
    }

    void take(const Watcher::Events &ev) {
        if (ev.dirs) scan_wanted_ = true;
        if (ev.files || ev.dirs) check_wanted_ = true;
        if (!ev.moves.empty() && first_scan_done_) adopt_renamed_away(ev.moves);
    }

    // A file the patterns name that was renamed to a name they do not (app.log -> app.log.1
    // with path "app.log"), follow the renames of this batch of events to where it is now; if
    // it is not followed already, it was created and rotated between two scans: read it from
    // its start to its end like any rotated file. Without this, a writer that rotates faster
    // than scans happen loses whole files.
    void adopt_renamed_away(const std::vector<std::pair<std::string, std::string>> &moves) {
        std::vector<std::string> away;
        for (const auto &[from, to] : moves) {
            for (auto &p : away)
                if (p == from) p = to;
            if (scanner_.matches(from) && !scanner_.matches(to)) away.push_back(to);
        }
        const auto now = Clock::now();
        for (const auto &p : away) {
            struct stat st {};
            if (scanner_.matches(p) || ::stat(p.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
                continue;
            const Key key{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino)};
            if (files_.count(key)) continue; // followed: the scan notices the rename
            auto f = std::make_unique<TailedFile>(env_, next_stream_++, p, key.first, key.second);
            f->known_size = static_cast<uint64_t>(st.st_size);
            if (open_file(*f)) {
                host().info("\"" + p + "\" was created and renamed away between two scans; "
                            "reading it from its start to its end");
                host().add(env_.m.rotations, 1);
                f->state = FileState::rotated;
                f->noticed_at = now;
                files_.emplace(key, std::move(f));
            }
        }
    }

    void note_degraded_watcher() {
        if (watcher_->degraded() && !degraded_logged_) {
            degraded_logged_ = true;
            host().warn("inotify watch limit reached (fs.inotify.max_user_watches); files "
                        "without a watch are polled every poll_interval");
        }
    }

    void update_gauges() {
        host().set(open_gauge_, static_cast<int64_t>(open_count_));
        host().set(tracked_gauge_, static_cast<int64_t>(files_.size()));
    }

    FileReaderOptions opt_;
    Scanner scanner_;
    ReaderEnv env_;
    mafio_metric_id open_gauge_, tracked_gauge_;
    std::unique_ptr<Watcher> watcher_;

    std::map<Key, std::unique_ptr<TailedFile>> files_;
    std::map<Key, bool> seen_; // during a scan
    std::map<uint32_t, FileCheckpoint> stored_; // from start(), until the first scan claims them
    std::vector<uint32_t> stale_streams_;       // undecodable stored checkpoints
    uint32_t next_stream_ = 1;
    bool fresh_start_ = true;
    bool first_scan_done_ = false;
    bool scan_wanted_ = false;
    bool check_wanted_ = false;
    bool busy_ = false;
    bool degraded_logged_ = false;
    size_t open_count_ = 0;
    size_t rr_ = 0;
    Clock::time_point last_scan_{}, next_scan_{}, next_check_{};
};

} // namespace
} // namespace mafio_filereader

MAFIO_PLUGIN(mafio_filereader::FileReaderV2, "filereader", "V2", "2.0.0",
             "lines of the files matching glob patterns, followed through rotation, truncation "
             "and restarts with at-least-once checkpoints",
             MAFIO_FILEREADER_V2_SCHEMA)
