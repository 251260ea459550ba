// logr:V1 — appends each record as a line to `path`, rotating it before the file would pass
// max_size and, with rotate_daily, at local midnight (rotation.hpp says where rotated files go;
// compressor.hpp how they are gzipped off the write path). A record is never split across
// files, and writes go straight to the file descriptor (no user-space buffer), so nothing
// accepted is lost if the agent is killed.
#include "clock.hpp"
#include "compressor.hpp"
#include "failure_streak.hpp"
#include "json_lines.hpp"
#include "live_file.hpp"
#include "rotation.hpp"
#include "write_lines.hpp"

#include <mafio/plugin.hpp>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <sys/stat.h>

namespace {

using namespace logr_v1;

constexpr uint64_t kDefaultMaxSize = 100ull * 1024 * 1024;

// How many of `count` records from `first` fit, as lines, into `room` bytes.
uint32_t records_fitting(const mafio_batch &batch, uint32_t first, uint32_t count, uint64_t room) {
    uint64_t bytes = 0;
    for (uint32_t i = 0; i < count; ++i) {
        bytes += uint64_t{batch.records[first + i].len} + 1;
        if (bytes > room) return i;
    }
    return count;
}

std::optional<TimeFormat> time_format_option(mafio::Options &opts) {
    const std::string fmt = opts.string("time_format", "");
    if (fmt.empty()) return std::nullopt;
    try {
        return TimeFormat(fmt);
    } catch (const std::invalid_argument &e) {
        throw mafio::Error(opts.where() + ".time_format: \"" + fmt + "\": " + e.what());
    }
}

// Without create_dirs, a directory that is not there now will not be there at start either
// (logr never makes it), so it is refused here, where `-check` sees it, rather than at start.
// Other failures (no permission to look) are left to start(), which names the system's reason.
void refuse_missing_directory(const mafio::Options &opts, const std::string &path) {
    const std::string dir = std::filesystem::path(path).parent_path().string();
    if (dir.empty()) return; // the working directory
    struct stat st {};
    const std::string where = opts.where() + ".path: the directory \"" + dir + "\" of \"" + path;
    if (::stat(dir.c_str(), &st) != 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            throw mafio::Error(where + "\" does not exist; create it, or set create_dirs: true");
    } else if (!S_ISDIR(st.st_mode)) {
        throw mafio::Error(where + "\" is not a directory");
    }
}

// The options, each read once and in the order `known options:` lists them.
struct Settings {
    Names names;
    uint64_t max_size;
    uint32_t max_files;
    bool daily, compress, create_dirs, json;
};

Settings read_settings(mafio::Options &opts) {
    std::string path = opts.required_string("path");
    const uint64_t max_size = opts.size("max_size", kDefaultMaxSize, 1);
    const auto max_files = static_cast<uint32_t>(opts.integer("max_files", 5, 0, 1000));
    const bool daily = opts.boolean("rotate_daily", false);
    std::optional<TimeFormat> fmt = time_format_option(opts);
    const bool prefix = opts.choice("time_position", "suffix", {"suffix", "prefix"}) == "prefix";
    const bool compress = opts.boolean("compress", false);
    const bool create_dirs = opts.boolean("create_dirs", false);
    const bool json = opts.choice("format", "raw", {"raw", "json"}) == "json";
    if (!create_dirs) refuse_missing_directory(opts, path);
    return {Names(std::move(path), std::move(fmt), prefix ? Position::prefix : Position::suffix),
            max_size,
            max_files,
            daily,
            compress,
            create_dirs,
            json};
}

double steady_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

class LogrOutput final : public mafio::Output {
public:
    LogrOutput(mafio::Host host, mafio::Options &opts) : LogrOutput(host, read_settings(opts)) {}

    LogrOutput(mafio::Host host, const Settings &s)
        : Output(host), max_size_(s.max_size), daily_(s.daily), json_(s.json),
          file_(s.names.path(), s.create_dirs), rotation_(s.names, s.max_files, nullptr) {
        if (s.compress && s.max_files > 0) { // with max_files 0 nothing is kept to compress
            compressor_ = std::make_unique<Compressor>(
                s.names.temp(), [h = host](const std::string &m) { h.warn(m); },
                [h = host](const std::string &m) { h.info(m); });
            rotation_.attach(compressor_.get());
        }
        timed_ = daily_ || rotation_.names().timed();
        if (clock_.bad_offset())
            throw mafio::Error("MAFIO_LOGR_FAKE_NOW_OFFSET (test-only): expected an integer "
                               "number of seconds, got \"" +
                               *clock_.bad_offset() + "\"");
    }

    void start(const mafio_start_args & /*args*/) override {
        file_.open(); // with create_dirs, makes the directory first
        if (file_.torn_bytes_cut())
            host().warn(file_.path() + ": cut " + std::to_string(file_.torn_bytes_cut()) +
                        " bytes after the last newline (a line torn by an earlier run that was "
                        "killed; it is delivered again whole)");
        opened(clock_.now());
        rotation_.recover([this](const std::string &m) { host().info(m); });
        if (compressor_) compressor_->start();
    }

    // `done` is the host's counter, updated as records finish, so it is right even when a
    // rotation throws half-way through the bulk.
    mafio_status write(const mafio_batch *batch, uint32_t first, uint32_t count,
                       uint32_t &done) override {
        done = 0;
        try {
            // JSON lines are encoded first: rotation sizes are those of what is written.
            const mafio_status st =
                json_
                    ? write_records(encoder_.encode(*batch, first, count, host().batch_tag(batch)),
                                    0, count, done)
                    : write_records(*batch, first, count, done);
            if (st == MAFIO_OK && streak_.active()) log_streak_end();
            return st;
        } catch (const mafio::Error &e) {
            if (e.code() == MAFIO_RETRY) note_failure(e.what());
            throw;
        }
    }

    void flush() override { file_.sync(); }
    void stop() override {
        if (compressor_) compressor_->stop();
        file_.close();
    }

private:
    mafio_status write_records(const mafio_batch &batch, uint32_t first, uint32_t count,
                               uint32_t &done) {
        // The one clock read of this call (a vDSO call, no syscall), only when time matters.
        const time_t now = timed_ ? clock_.now() : 0;
        if (!file_.is_open()) { // an earlier rotation could not open the new file
            file_.open();
            opened(now);
        }
        if (daily_ && now >= next_midnight_) {
            if (file_.size() > 0) rotate(now);
            next_midnight_ = next_local_midnight(now);
        }
        while (done < count) {
            const uint64_t room = max_size_ > file_.size() ? max_size_ - file_.size() : 0;
            uint32_t fitting = records_fitting(batch, first + done, count - done, room);
            if (fitting == 0) {
                if (file_.size() > 0) {
                    rotate(now);
                    continue;
                }
                fitting = 1; // a record longer than max_size goes alone into a fresh file
            }
            const mafio_plugins::WriteOutcome out =
                writer_.write(file_.fd(), batch, first + done, fitting);
            file_.grew(out.bytes_done);
            if (out.bytes_done > 0) last_write_ = now;
            done += out.records_done;
            if (out.error != 0) return failed(out);
        }
        return MAFIO_OK;
    }

    // After the live file was opened: an existing file was last written at its mtime, and
    // rotate_daily's midnight is the one after that, so a file left from yesterday rotates at
    // the first write even across a restart.
    void opened(time_t now) {
        last_write_ = file_.size() > 0 ? file_.mtime_at_open() : now;
        next_midnight_ = next_local_midnight(last_write_);
    }

    void rotate(time_t now) {
        // Without time_format or rotate_daily no clock was read; numbered names need none.
        const time_t stamp = timed_ ? last_write_ : now;
        file_.rotate([&] { rotation_.move_away(stamp); });
        opened(now);
    }

    mafio_status failed(const mafio_plugins::WriteOutcome &out) {
        const std::string reason = std::strerror(out.error);
        if (out.bytes_written > out.bytes_done) file_.cut_back_to_size();
        if (is_transient(out.error)) {
            const std::string what = "cannot write to \"" + file_.path() + "\" (" + reason + ")";
            note_failure(what);
            host().set_error(what + "; will retry");
            return MAFIO_RETRY;
        }
        host().set_error("cannot write to \"" + file_.path() + "\": " + reason);
        return MAFIO_ERR_IO;
    }

    // The host retries MAFIO_RETRY silently; logr says when a streak starts and ends.
    void note_failure(const std::string &what) {
        const std::string msg = streak_.failed(steady_seconds(), what);
        if (!msg.empty()) host().warn(msg);
    }
    void log_streak_end() {
        const std::string msg = streak_.succeeded(steady_seconds(), file_.path());
        if (!msg.empty()) host().info(msg);
    }

    uint64_t max_size_;
    bool daily_;
    bool json_;
    bool timed_ = false; // whether write() reads the clock
    LiveFile file_;
    Rotation rotation_;
    std::unique_ptr<Compressor> compressor_;
    Clock clock_;
    time_t last_write_ = 0;    // when the live file was last written (time_format names)
    time_t next_midnight_ = 0; // rotate_daily: the first write at or after this rotates
    FailureStreak streak_;
    mafio_plugins::JsonLineEncoder encoder_;
    mafio_plugins::LineWriter writer_;
};

} // namespace

MAFIO_PLUGIN(
    LogrOutput, "logr", "V1", "1.2.0",
    "appends records as lines to a file, rotating it by size and optionally daily, keeping "
    "max_files rotated files, optionally gzipped",
    "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"path\"],"
    "\"properties\":{"
    "\"path\":{\"type\":\"string\",\"minLength\":1,"
    "\"description\":\"the file to append to; its directory must exist unless create_dirs\"},"
    "\"max_size\":{\"type\":[\"integer\",\"string\"],\"default\":\"100MiB\","
    "\"description\":\"rotate before the file would grow past this size\"},"
    "\"max_files\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":1000,\"default\":5,"
    "\"description\":\"rotated files kept: path.1 (newest) .. path.N, or the N newest "
    "time-named ones; 0 deletes the file at rotation\"},"
    "\"rotate_daily\":{\"type\":\"boolean\",\"default\":false,"
    "\"description\":\"also rotate at local midnight: the first write after it rotates a "
    "non-empty file (also one left from an earlier day by a stopped agent)\"},"
    "\"compress\":{\"type\":\"boolean\",\"default\":false,"
    "\"description\":\"gzip rotated files to NAME.gz on a background thread (never in the "
    "write path); at start, finishes what a killed run left\"},"
    "\"time_format\":{\"type\":\"string\",\"default\":\"\","
    "\"description\":\"strftime pattern (local time of the file's last write) naming rotated "
    "files instead of .1 .. .N, e.g. %Y-%m-%d; .1, .2 .. tell apart files of one stamp\"},"
    "\"time_position\":{\"type\":\"string\",\"enum\":[\"suffix\",\"prefix\"],\"default\":"
    "\"suffix\","
    "\"description\":\"where time_format goes: suffix app.log.2024-05-01, prefix "
    "2024-05-01.app.log\"},"
    "\"create_dirs\":{\"type\":\"boolean\",\"default\":false,"
    "\"description\":\"create the file's missing parent directories (mkdir -p)\"},"
    "\"format\":{\"type\":\"string\",\"enum\":[\"raw\",\"json\"],\"default\":\"raw\","
    "\"description\":\"raw: each record as it is; json: one JSON object per line (a JSON "
    "object record as it is, with \\\"ts\\\" added; anything else wrapped as "
    "{\\\"ts\\\",\\\"tag\\\",\\\"log\\\"})\"}}}")
