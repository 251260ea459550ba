// filereader:V2 — follows the files matching glob patterns through rename rotation,
// copytruncate, deletion and restarts, checkpointing each batch so that delivery is
// at-least-once across crashes.
//
// This file is the plugin itself: its options and metrics, and poll(), which says when each
// piece runs. One poll() = (maybe) one scan of the patterns, then one round over the files
// giving each file with new data one batch, then the release of rotated and deleted files that
// are done. When no file had data and the host schedules inputs (ABI 1.2), poll() returns
// MAFIO_RETRY after asking to be woken by the inotify descriptor or at the next due scan or
// check: an idle reader costs no CPU. On an older host it waits for inotify (or just sleeps)
// for at most ~90 ms so that the agent can stop promptly.
//
// The pieces, each in its own file:
//   file_set            the followed files and their stream ids (one stream per file)
//   resume              stored checkpoints matched to the files the first scan finds
//   discovery           scans: new files, renames, files gone from the patterns
//   release_policy      rotated and deleted files: read to their end, released when due
//   descriptor_budget   opening and closing within max_open_files; shortages of descriptors
//   open_failures       files that cannot be opened (permissions...): retried once per scan
//   match_warnings      patterns matching nothing, matches that are not regular files
//   round_robin_reader  one batch per file with new data per round
//   tailed_file         reading one file (identity, truncation, checkpoint of each batch)
#include "descriptor_budget.hpp"
#include "discovery.hpp"
#include "file_set.hpp"
#include "filereader_options.hpp"
#include "match_warnings.hpp"
#include "open_failures.hpp"
#include "release_policy.hpp"
#include "resume.hpp"
#include "round_robin_reader.hpp"
#include "scanner.hpp"
#include "tailed_file.hpp"
#include "watcher.hpp"

#include <mafio/plugin.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

namespace mafio_filereader {
namespace {

using std::chrono::milliseconds;

// Longest wait inside one poll(): the ABI asks for a return within ~100 ms when idle.
constexpr milliseconds kLongestWait{90};
// Scans triggered by directory events are spaced at least this much (a directory with constant
// churn must not make every poll a glob).
constexpr milliseconds kMinScanSpacing{20};
// A scan that could not look everywhere (no descriptor left) is repeated this soon (or at
// scan_interval when that is sooner).
constexpr milliseconds kIncompleteScanRetry{200};

Metrics register_metrics(const mafio::Host &h) {
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

class FileReaderV2 final : public mafio::Input {
public:
    // Shared with filereader:V1 (ABI 1.2), so either tag resumes where the other stopped; 0.3
    // stored the same bytes under the legacy name.
    static constexpr const char *checkpoint_format = mafio::file_position::kFormat;
    static constexpr const char *checkpoint_formats_read[] = {
        mafio::file_position::kFormat, mafio::file_position::kLegacyFilereaderFormat, nullptr};

    FileReaderV2(mafio::Host host, mafio::Options &o)
        : Input(host), opt_(o),
          scanner_(opt_.paths, opt_.excludes), env_{host, opt_, register_metrics(host), {}},
          open_gauge_(host.gauge("open_files", "file descriptors held")),
          tracked_gauge_(host.gauge("tracked_files", "files followed (open or waiting)")),
          watcher_([host] {
              host.warn("inotify watch limit reached (fs.inotify.max_user_watches); files "
                        "without a watch are polled every poll_interval");
          }),
          files_(host), failures_(env_), descriptors_(env_, watcher_, files_, failures_),
          release_(env_, files_, descriptors_), resume_(env_, files_, descriptors_, release_),
          discovery_(env_, scanner_, watcher_, files_, descriptors_, release_, resume_),
          reader_(env_, files_, descriptors_), warnings_(host, opt_.paths) {}

    void start(const mafio_start_args &args) override {
        resume_.load(args);
        watcher_.start(opt_.inotify);
        if (opt_.inotify && !watcher_.active())
            host().warn(std::string("inotify unavailable (") + std::strerror(errno) +
                        "); polling files every poll_interval and scanning every scan_interval");
    }

    mafio_status poll() override {
        const auto now = Clock::now();
        // Events are drained on every poll, not only when idle: while data flows, a rotation
        // must still be noticed at once (a new file renamed away before any scan saw it would
        // be missed).
        take(watcher_.wait(milliseconds(0)));
        if (scan_due(now)) scan(now);
        const bool emitted = read_if_due(now);
        release_.release_due(Clock::now());
        update_gauges();
        if (host().stopping() || emitted) return MAFIO_OK;
        if (opt_.exit_on_eof && discovery_.first_scan_done() && all_read()) {
            files_.finish_all();
            return MAFIO_EOF;
        }
        if (schedule_wakeup()) return MAFIO_RETRY; // the host wakes us
        wait_for_events();
        return MAFIO_OK; // we already waited: call again at once
    }

    void stop() override {
        if (watching_fd_ >= 0) host().unwatch_fd(watching_fd_);
        watching_fd_ = -1;
        files_.close_all();
        watcher_.stop();
    }

private:
    // The first poll scans at once (next_scan_ starts at the clock's epoch); then every
    // scan_interval, or sooner (but spaced) when a directory changed or a closed file turned
    // out gone, and kIncompleteScanRetry after a scan that could not look everywhere.
    bool scan_due(Clock::time_point now) const {
        const bool wanted = scan_wanted_ || descriptors_.scan_requested();
        return now >= next_scan_ || (wanted && now >= last_scan_ + kMinScanSpacing);
    }

    void scan(Clock::time_point now) {
        last_scan_ = now;
        next_scan_ = now + opt_.scan_interval;
        scan_wanted_ = false;
        descriptors_.clear_scan_request();
        const ScanResult r = discovery_.scan(now);
        if (!r.complete()) {
            // Not at once (the shortage may last), but well before scan_interval.
            next_scan_ = std::min(next_scan_, now + kIncompleteScanRetry);
            return;
        }
        warnings_.update(r);
        failures_.scan_done();
        descriptors_.regrow();
    }

    // exit_on_eof: whether every file was read to its end. A file that cannot be opened is
    // waited for kExitOnEofOpenScans scans; then the input ends with an error naming it, after
    // every other file was read.
    bool all_read() {
        bool reading = false;
        const OpenFailures::Failure *gave_up = nullptr;
        size_t unreadable = 0;
        files_.for_each([&](TailedFile &f) {
            if (f.dead || (f.is_open() ? f.at_eof : f.nothing_new_while_closed())) return;
            const OpenFailures::Failure *x = failures_.find(f);
            if (!x || x->scans < kExitOnEofOpenScans) {
                reading = true;
                return;
            }
            ++unreadable;
            if (!gave_up) gave_up = x;
        });
        if (reading || !gave_up) return !reading;
        files_.finish_all();
        throw mafio::Error(
            "exit_on_eof: cannot open \"" + gave_up->path + "\": " + std::strerror(gave_up->err) +
                " (tried at " + std::to_string(gave_up->scans) + " scans)" +
                (unreadable > 1
                     ? " and " + std::to_string(unreadable - 1) + " more file(s) cannot be opened"
                     : std::string()) +
                "; every other file was read to its end",
            MAFIO_ERR_IO);
    }

    // Files are read while the last round had data, on inotify events, every poll_interval,
    // and on every poll with exit_on_eof (which must notice the end soon).
    bool read_if_due(Clock::time_point now) {
        if (!busy_ && !check_wanted_ && now < next_check_ && !opt_.exit_on_eof) return false;
        if (!busy_ && !check_wanted_ && !opt_.exit_on_eof && watcher_.complete() &&
            now < last_check_ + opt_.scan_interval)
            return false; // only the safety net was due, and it runs every scan_interval
        check_wanted_ = false;
        last_check_ = now;
        next_check_ = now + opt_.poll_interval;
        busy_ = reader_.read_round(Clock::now());
        return busy_;
    }

    // With inotify complete, events say when a file was written, so the safety-net check of
    // open files runs every scan_interval rather than every poll_interval.
    Clock::time_point next_due() const {
        const auto check = watcher_.complete()
                               ? std::max(next_check_, last_check_ + opt_.scan_interval)
                               : next_check_;
        return std::min(next_scan_, check);
    }

    // Asks the host to poll again on an inotify event or when the next scan or check is due.
    // False on a host without scheduling (or with exit_on_eof, which must notice the end soon).
    bool schedule_wakeup() {
        if (!host().can_schedule() || opt_.exit_on_eof) return false;
        if (watching_fd_ < 0 && watcher_.active()) {
            if (!host().watch_fd(watcher_.fd())) return false;
            watching_fd_ = watcher_.fd();
        }
        // steady_clock is CLOCK_MONOTONIC on Linux, the clock wake_at takes.
        const auto due = std::max(next_due(), Clock::now() + milliseconds(1));
        host().wake_at(
            std::chrono::duration_cast<std::chrono::nanoseconds>(due.time_since_epoch()).count());
        return true;
    }

    void wait_for_events() {
        const auto now = Clock::now();
        auto until = std::min(next_scan_, next_check_);
        auto wait =
            until > now ? std::chrono::duration_cast<milliseconds>(until - now) : milliseconds(0);
        wait = std::clamp(wait, milliseconds(1), kLongestWait);
        take(watcher_.wait(wait));
    }

    void take(const Watcher::Events &ev) {
        if (ev.dirs) scan_wanted_ = true;
        if (ev.files || ev.dirs) check_wanted_ = true;
        if (!ev.moves.empty() && discovery_.first_scan_done())
            discovery_.follow_renamed_away(ev.moves);
    }

    void update_gauges() {
        host().set(open_gauge_, static_cast<int64_t>(descriptors_.open_count()));
        host().set(tracked_gauge_, static_cast<int64_t>(files_.size()));
        failures_.update_gauge();
    }

    FileReaderOptions opt_;
    Scanner scanner_;
    ReaderEnv env_;
    mafio_metric_id open_gauge_, tracked_gauge_;
    Watcher watcher_; // inotify is opened in start()
    FileSet files_;
    OpenFailures failures_;
    DescriptorBudget descriptors_;
    ReleasePolicy release_;
    Resume resume_;
    Discovery discovery_;
    RoundRobinReader reader_;
    MatchWarnings warnings_;

    bool scan_wanted_ = false;  // a watched directory changed
    bool check_wanted_ = false; // a watched file was written
    bool busy_ = false;         // the last round had data: read again at once
    Clock::time_point last_scan_{}, next_scan_{}, next_check_{}, last_check_{};
    int watching_fd_ = -1; // the inotify descriptor the host watches for us
};

} // namespace
} // namespace mafio_filereader

MAFIO_PLUGIN(mafio_filereader::FileReaderV2, "filereader", "V2", "2.0.0",
             "lines of the files matching glob patterns, followed through rotation, truncation "
             "and restarts with at-least-once checkpoints",
             MAFIO_FILEREADER_V2_SCHEMA)
