// filereader:V1 — reads `path` from its start, then follows appended lines by polling, or with
// exit_on_eof reads it once. Deliberately simple: no rotation, no checkpoints (that is V2).
#include "line_reader.hpp"

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

namespace {

using Clock = std::chrono::steady_clock;

// poll() must come back within about 100 ms so the agent can stop promptly.
constexpr auto kLongestSleep = std::chrono::milliseconds(100);

class FileReaderInput final : public mafio::Input {
public:
    FileReaderInput(mafio::Host host, mafio::Options &opts)
        : Input(host), path_(opts.required_string("path")),
          poll_interval_(std::chrono::duration_cast<Clock::duration>(
              std::chrono::duration<double>(opts.seconds("poll_interval", 0.25)))),
          exit_on_eof_(opts.boolean("exit_on_eof", false)),
          lines_(host, mafio_plugins::max_line_bytes_option(opts)) {}

    ~FileReaderInput() override { close_file(); }

    void start(const mafio_start_args & /*checkpoints: V1 always reads from the start*/) override {
        fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd_ < 0) fail("cannot open");
        struct stat st {};
        if (::fstat(fd_, &st) == 0 && S_ISDIR(st.st_mode)) {
            close_file();
            throw mafio::Error("path \"" + path_ + "\" is a directory; expected a file",
                               MAFIO_ERR_IO);
        }
    }

    mafio_status poll() override {
        if (finished_) return MAFIO_EOF;
        if (Clock::now() < next_read_at_) {
            std::this_thread::sleep_for(
                std::min<Clock::duration>(next_read_at_ - Clock::now(), kLongestSleep));
            if (Clock::now() < next_read_at_) return MAFIO_RETRY;
        }
        const ssize_t n = lines_.read_chunk(fd_);
        if (n < 0) fail("cannot read");
        if (n > 0) {
            offset_ += static_cast<uint64_t>(n);
            return MAFIO_OK;
        }
        if (exit_on_eof_) {
            lines_.finish(); // a last line without '\n' counts once the file is complete
            finished_ = true;
            return MAFIO_EOF;
        }
        if (restart_if_truncated()) return MAFIO_OK;
        // Following: an unterminated last line stays held until its '\n' is appended.
        next_read_at_ = Clock::now() + poll_interval_;
        return MAFIO_RETRY;
    }

    void stop() override { close_file(); }

private:
    // A file cut shorter than what was read (copytruncate, `> file`) is read again from the
    // start rather than waiting forever for the old offset to come back.
    bool restart_if_truncated() {
        struct stat st {};
        if (::fstat(fd_, &st) != 0 || static_cast<uint64_t>(st.st_size) >= offset_) return false;
        host().warn("\"" + path_ + "\" was truncated to " + std::to_string(st.st_size) +
                    " bytes; reading it again from the start");
        if (::lseek(fd_, 0, SEEK_SET) != 0) fail("cannot seek to the start of");
        lines_.discard_partial_line();
        offset_ = 0;
        return true;
    }

    [[noreturn]] void fail(const char *what) const {
        throw mafio::Error(std::string(what) + " path \"" + path_ + "\": " + std::strerror(errno),
                           MAFIO_ERR_IO);
    }

    void close_file() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

    std::string path_;
    Clock::duration poll_interval_;
    bool exit_on_eof_;
    mafio_plugins::LineReader lines_;
    int fd_ = -1;
    uint64_t offset_ = 0; // bytes read so far, to notice truncation
    Clock::time_point next_read_at_{};
    bool finished_ = false;
};

} // namespace

MAFIO_PLUGIN(
    FileReaderInput, "filereader", "V1", "1.0.0",
    "lines of a file from its start, then lines appended to it (or one read with exit_on_eof)",
    "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"path\"],"
    "\"properties\":{"
    "\"path\":{\"type\":\"string\",\"minLength\":1,\"description\":\"the file to read\"},"
    "\"poll_interval\":{\"type\":[\"number\",\"string\"],\"default\":\"250ms\","
    "\"description\":\"how often to look for appended lines at the end of the file\"},"
    "\"exit_on_eof\":{\"type\":\"boolean\",\"default\":false,"
    "\"description\":\"read the file once and end the input at its "
    "end\"}," MAFIO_MAX_LINE_BYTES_SCHEMA "}}")
