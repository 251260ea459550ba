// logr:V1 — appends each record as a line to `path`, rotating to path.1 .. path.N before the
// file would pass max_size. A record is never split across files, and writes go straight to the
// file descriptor (no user-space buffer), so nothing accepted is lost if the agent is killed.
#include "rotating_file.hpp"
#include "write_lines.hpp"

#include <mafio/plugin.hpp>

#include <cerrno>
#include <cstring>
#include <string>

namespace {

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

bool is_transient(int err) {
    // A full disk or quota may clear up; the host retries with backoff and loses nothing.
    return err == ENOSPC || err == EDQUOT || err == EAGAIN || err == EWOULDBLOCK;
}

class LogrOutput final : public mafio::Output {
public:
    LogrOutput(mafio::Host host, mafio::Options &opts)
        : Output(host), max_size_(opts.size("max_size", kDefaultMaxSize, 1)),
          file_(opts.required_string("path"),
                static_cast<uint32_t>(opts.integer("max_files", 5, 0, 1000))) {}

    void start(const mafio_start_args & /*args*/) override {
        file_.open();
        if (file_.torn_bytes_cut())
            host().warn(file_.path() + ": cut " + std::to_string(file_.torn_bytes_cut()) +
                        " bytes after the last newline (a line torn by an earlier run that was "
                        "killed; it is delivered again whole)");
    }

    // `done` is the host's counter, updated as records finish, so it is right even when a
    // rotation throws half-way through the bulk.
    mafio_status write(const mafio_batch *batch, uint32_t first, uint32_t count,
                       uint32_t &done) override {
        done = 0;
        if (!file_.is_open()) file_.open(); // an earlier rotation could not open the new file
        while (done < count) {
            const uint64_t room = max_size_ > file_.size() ? max_size_ - file_.size() : 0;
            uint32_t fitting = records_fitting(*batch, first + done, count - done, room);
            if (fitting == 0) {
                if (file_.size() > 0) {
                    file_.rotate();
                    continue;
                }
                fitting = 1; // a record longer than max_size goes alone into a fresh file
            }
            const mafio_plugins::WriteOutcome out =
                writer_.write(file_.fd(), *batch, first + done, fitting);
            file_.grew(out.bytes_done);
            done += out.records_done;
            if (out.error != 0) return failed(out);
        }
        return MAFIO_OK;
    }

    void flush() override { file_.sync(); }
    void stop() override { file_.close(); }

private:
    mafio_status failed(const mafio_plugins::WriteOutcome &out) {
        const std::string reason = std::strerror(out.error);
        if (out.bytes_written > out.bytes_done) file_.cut_back_to_size();
        if (is_transient(out.error)) {
            host().set_error("cannot write to \"" + file_.path() + "\" now (" + reason +
                             "); will retry");
            return MAFIO_RETRY;
        }
        host().set_error("cannot write to \"" + file_.path() + "\": " + reason);
        return MAFIO_ERR_IO;
    }

    uint64_t max_size_;
    logr_v1::RotatingFile file_;
    mafio_plugins::LineWriter writer_;
};

} // namespace

MAFIO_PLUGIN(LogrOutput, "logr", "V1", "1.0.0",
             "appends records as lines to a file, rotating it by size to path.1 .. path.N",
             "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"path\"],"
             "\"properties\":{"
             "\"path\":{\"type\":\"string\",\"minLength\":1,"
             "\"description\":\"the file to append to; its directory must exist\"},"
             "\"max_size\":{\"type\":[\"integer\",\"string\"],\"default\":\"100MiB\","
             "\"description\":\"rotate before the file would grow past this size\"},"
             "\"max_files\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":1000,\"default\":5,"
             "\"description\":\"rotated files kept: path.1 (newest) .. path.N\"}}}")
