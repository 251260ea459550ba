// filereader:V1 — reads one file, `path`, then follows appended lines by polling (or with
// exit_on_eof reads it once). Deliberately simple: one path, no inotify, no rotation.
//
// It is the fallback for filereader:V2 and shares its checkpoints (the SDK format
// "mafio.file-position/1"): each batch carries the file's identity (device, inode, fingerprint
// of its first bytes) and the offset just past its last complete line, and start() resumes from
// a stored checkpoint of the file now at `path` (resume_rule.hpp). So V2 -> V1 -> V2 with
// restarts in between delivers every line once. Which V2 options V1 takes and which it refuses
// is in v1_options.hpp.
#include "line_reader.hpp"
#include "resume_rule.hpp"
#include "v1_options.hpp"

#include <mafio/file_position.hpp>
#include <mafio/plugin.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace mafio_filereader_v1 {
namespace {

// poll() must come back within about 100 ms so the agent can stop promptly.
constexpr auto kLongestSleep = std::chrono::milliseconds(100);
// How far back from the end a `read_from: tail` start looks for a line boundary (as V2).
constexpr uint64_t kTailLookback = 64 * 1024;

// What a path that is not a regular file is, for the message refusing it.
const char *kind_of(mode_t mode) {
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
    if (S_ISSOCK(mode)) return "a socket";
    if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
    return "not a regular file";
}

class FileReaderV1 final : public mafio::Input {
public:
    // Shared with filereader:V2 (ABI 1.2); 0.3's filereader stored the same bytes under the
    // legacy name (0.3's V1 stored none).
    static constexpr const char *checkpoint_format = fp::kFormat;
    static constexpr const char *checkpoint_formats_read[] = {fp::kFormat,
                                                              fp::kLegacyFilereaderFormat, nullptr};

    FileReaderV1(mafio::Host host, mafio::Options &opts)
        : Input(host), opt_(opts),
          lines_(host, opt_.max_line_bytes, opt_.long_lines,
                 host.counter("truncated_lines", "lines longer than max_line_bytes, truncated"),
                 host.counter("skipped_lines", "lines longer than max_line_bytes, skipped")) {
        lines_.set_before_emit([this](mafio_batch *b) { stamp(b); });
    }

    ~FileReaderV1() override { close_file(); }

    void start(const mafio_start_args &args) override {
        // O_NONBLOCK: a FIFO without a writer would block this open, and start() runs on the
        // main thread, where SIGINT and SIGTERM are blocked (the signal thread takes them), so
        // nothing but SIGKILL would end the wait. A regular file ignores the flag.
        fd_ = ::open(opt_.path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd_ < 0) fail("cannot open");
        struct stat st {};
        if (::fstat(fd_, &st) != 0) fail("cannot stat");
        if (!S_ISREG(st.st_mode)) {
            close_file();
            throw mafio::Error("path \"" + opt_.path + "\" is " + kind_of(st.st_mode) +
                                   "; expected a regular file",
                               MAFIO_ERR_IO);
        }
        // Reads as before: blocking (a regular file on some network file systems could
        // otherwise answer EAGAIN).
        ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) & ~O_NONBLOCK);
        id_.dev = static_cast<uint64_t>(st.st_dev);
        id_.ino = static_cast<uint64_t>(st.st_ino);
        last_size_ = static_cast<uint64_t>(st.st_size);
        resume(args, last_size_);
    }

    mafio_status poll() override {
        if (finished_) return MAFIO_EOF;
        emit_pending_checkpoints();
        if (Clock::now() < next_read_at_) {
            std::this_thread::sleep_for(
                std::min<Clock::duration>(next_read_at_ - Clock::now(), kLongestSleep));
            if (Clock::now() < next_read_at_) return MAFIO_RETRY;
        }
        if (check_file() > lines_.position()) {
            const ssize_t n = lines_.read_chunk(fd_);
            if (n < 0) fail("cannot read");
            if (n > 0) return MAFIO_OK;
        }
        if (opt_.exit_on_eof) {
            // A last line without '\n' is delivered once the file is complete; the checkpoint
            // stays before it, so a later run delivers it again whole.
            lines_.finish();
            finished_ = true;
            return MAFIO_EOF;
        }
        // Following: an unterminated last line stays held until its '\n' is appended.
        next_read_at_ = Clock::now() + opt_.poll_interval;
        return MAFIO_RETRY;
    }

    void stop() override { close_file(); }

private:
    void resume(const mafio_start_args &args, uint64_t size) {
        std::vector<StoredCheckpoint> stored;
        for (uint32_t i = 0; i < args.checkpoint_count; ++i) {
            const mafio_checkpoint &c = args.checkpoints[i];
            stored.push_back({c.stream, fp::decode(c.data, c.len)});
        }
        std::vector<uint8_t> prefix;
        const uint32_t want = prefix_bytes_wanted(stored, id_.dev, id_.ino, opt_.fingerprint_bytes);
        if (!fp::read_prefix(fd_, want, prefix)) fail("cannot read");
        const ResumeDecision d =
            decide_resume(stored, id_.dev, id_.ino, prefix.data(), prefix.size());
        stream_ = d.stream;
        forget_ = d.forget;
        report(d);
        uint64_t offset = 0;
        if (d.resumed && size < d.offset) {
            host().warn("\"" + opt_.path + "\" is shorter (" + std::to_string(size) +
                        " bytes) than its checkpoint offset " + std::to_string(d.offset) +
                        " (truncated while stopped); reading it from the start");
        } else if (d.resumed) {
            offset = d.offset;
            id_.fp = d.fingerprint;
        } else if (opt_.read_from_tail && d.fresh_start) {
            offset = tail_offset(size);
            checkpoint_pending_ = offset > 0; // remember a tail start even before any line
        }
        if (offset == 0) {
            id_.fp = fp::Fingerprint{};
            // The prefix may be longer (read for a longer stored fingerprint): use what
            // fingerprint_bytes asks for.
            (void)fp::check_and_extend(id_.fp, prefix.data(),
                                       std::min<size_t>(prefix.size(), opt_.fingerprint_bytes));
        }
        if (::lseek(fd_, static_cast<off_t>(offset), SEEK_SET) < 0) fail("cannot seek in");
        lines_.restart_at(offset);
    }

    void report(const ResumeDecision &d) const {
        const std::string file = "\"" + opt_.path + "\"";
        if (d.other_content)
            host().warn(file + " has the inode of a checkpointed file but other content "
                               "(rewritten while stopped, or the inode was reused); its "
                               "checkpoint does not apply");
        if (d.forget.size() > d.other_content)
            host().warn(std::to_string(d.forget.size() - d.other_content) +
                        " stored checkpoint(s) are corrupt or duplicates; forgetting them");
        if (d.resumed)
            host().info("resuming " + file + " at offset " + std::to_string(d.offset));
        else if (!d.fresh_start)
            host().info("no stored checkpoint is for the file now at " + file +
                        "; reading it from its start");
        if (d.kept)
            host().info(std::to_string(d.kept) +
                        " stored checkpoint(s) of other files are kept, not read (filereader:V1 "
                        "reads only path)");
    }

    // Where a tail start begins: just after the last '\n' in the last kTailLookback bytes (never
    // in the middle of a line), the end if there is none there, 0 for a file of one line.
    uint64_t tail_offset(uint64_t size) const {
        if (size == 0) return 0;
        const uint64_t from = size > kTailLookback ? size - kTailLookback : 0;
        std::vector<char> buf(size - from);
        const ssize_t n = ::pread(fd_, buf.data(), buf.size(), static_cast<off_t>(from));
        if (n <= 0) return size;
        for (ssize_t i = n - 1; i >= 0; --i)
            if (buf[static_cast<size_t>(i)] == '\n') return from + static_cast<uint64_t>(i) + 1;
        return from == 0 ? 0 : size;
    }

    // Forgotten checkpoints and the tail start go out as empty batches (emit is for poll()).
    void emit_pending_checkpoints() {
        for (uint32_t stream : forget_) {
            mafio_batch *b = host().new_batch(0, 0);
            b->stream = stream;
            static const uint8_t nothing = 0;
            host().set_checkpoint(b, &nothing, 0); // length 0 forgets the stream
            (void)host().emit(b);
        }
        forget_.clear();
        if (checkpoint_pending_) {
            checkpoint_pending_ = false;
            mafio_batch *b = host().new_batch(0, 0);
            stamp(b);
            (void)host().emit(b);
        }
    }

    // The file's size now, after noticing a truncation (shorter than what was read) or a
    // rewrite in place (first bytes changed; checked when the size moved, as appends leave
    // them alone): both are read again from the start, like V2 does.
    uint64_t check_file() {
        struct stat st {};
        if (::fstat(fd_, &st) != 0) fail("cannot stat");
        const uint64_t size = static_cast<uint64_t>(st.st_size);
        if (size < lines_.position()) {
            restart_from_zero("it is shorter than the offset reached", size);
        } else if (size != last_size_) {
            const auto check =
                fp::check_and_extend_fd(id_.fp, fd_, opt_.fingerprint_bytes, scratch_);
            if (check == fp::PrefixCheck::error) fail("cannot read");
            if (check == fp::PrefixCheck::different)
                restart_from_zero("its first bytes changed", size);
        }
        last_size_ = size;
        return size;
    }

    void restart_from_zero(const char *why, uint64_t size) {
        host().warn("\"" + opt_.path + "\" was truncated or rewritten (" + why + "): offset " +
                    std::to_string(lines_.position()) + ", size now " + std::to_string(size) +
                    "; reading it again from the start");
        if (::lseek(fd_, 0, SEEK_SET) != 0) fail("cannot seek to the start of");
        lines_.restart_at(0);
        id_.fp = fp::Fingerprint{};
        if (fp::check_and_extend_fd(id_.fp, fd_, opt_.fingerprint_bytes, scratch_) ==
            fp::PrefixCheck::error)
            fail("cannot read");
    }

    // Every batch carries where this file has been read to: the end of its last complete line.
    void stamp(mafio_batch *b) {
        b->stream = stream_;
        const std::vector<uint8_t> cp =
            fp::encode(fp::Checkpoint{id_, lines_.line_end(), opt_.path});
        host().set_checkpoint(b, cp.data(), static_cast<uint32_t>(cp.size()));
    }

    [[noreturn]] void fail(const char *what) const {
        throw mafio::Error(std::string(what) + " path \"" + opt_.path +
                               "\": " + std::strerror(errno),
                           MAFIO_ERR_IO);
    }

    void close_file() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

    V1Options opt_;
    mafio_plugins::LineReader lines_;
    int fd_ = -1;
    fp::FileIdentity id_;
    uint32_t stream_ = 0;
    uint64_t last_size_ = 0; // st_size at the last check, to check the first bytes on change
    std::vector<uint8_t> scratch_;
    std::vector<uint32_t> forget_;
    bool checkpoint_pending_ = false;
    Clock::time_point next_read_at_{};
    bool finished_ = false;
};

} // namespace
} // namespace mafio_filereader_v1

MAFIO_PLUGIN(
    mafio_filereader_v1::FileReaderV1, "filereader", "V1", "1.1.0",
    "lines of one file from its start (or end), then lines appended to it, by polling; shares "
    "its checkpoints with tag V2, so either resumes where the other stopped",
    "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"path\"],"
    "\"properties\":{"
    "\"path\":{\"type\":[\"string\",\"array\"],\"items\":{\"type\":\"string\"},\"maxItems\":1,"
    "\"description\":\"the file to read (one path, no glob; a list of one is accepted as V2 "
    "writes it)\"},"
    "\"read_from\":{\"enum\":[\"head\",\"tail\"],\"default\":\"head\","
    "\"description\":\"where to start when nothing was stored yet (the very first run); with a "
    "stored checkpoint of the file it resumes there, and a file no checkpoint names is new data "
    "read from its start\"},"
    "\"poll_interval\":{\"type\":[\"number\",\"string\"],\"default\":\"250ms\","
    "\"description\":\"how often to look for appended lines at the end of the file\"},"
    "\"exit_on_eof\":{\"type\":\"boolean\",\"default\":false,"
    "\"description\":\"read the file once and end the input at its end; an unterminated last "
    "line is delivered but the checkpoint stays before it\"},"
    "\"fingerprint_bytes\":{\"type\":[\"integer\",\"string\"],\"default\":1024,"
    "\"description\":\"bytes at the start of the file hashed, with device and inode, to tell "
    "the checkpointed file from another one at the same path\"},"
    "\"long_lines\":{\"enum\":[\"truncate\",\"skip\"],\"default\":\"truncate\","
    "\"description\":\"a line longer than max_line_bytes becomes its first max_line_bytes bytes "
    "flagged truncated (truncate) or is dropped (skip)\"},"
    "\"inotify\":{\"enum\":[false],"
    "\"description\":\"accepted as false only (V1 always polls); other filereader:V2 options "
    "(exclude, scan_interval, rotate_wait, close_timeout, max_open_files) are "
    "refused\"}," MAFIO_MAX_LINE_BYTES_SCHEMA "}}")
