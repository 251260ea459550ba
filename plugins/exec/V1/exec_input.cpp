// exec:V1 — runs a command; each line of its standard output is a record, its standard error
// goes to the agent's log. One run per start: the run ends when the command has exited and
// closed its output, and the input then reports end of input. A poll() after that starts the
// next run, which is how a host-side `schedule` runs it again; nothing (child, descriptor,
// partial line) is carried from one run to the next.
//
// The input sleeps on the command's pipes and exit (mafio.fd.v1) and on its timeout
// (mafio.timer.v1), so a command that is quiet costs the agent no CPU.
#include "child_env.hpp"
#include "child_output.hpp"
#include "child_process.hpp"
#include "line_reader.hpp"

#include <mafio/plugin.hpp>

#include <chrono>
#include <cmath>
#include <ctime>
#include <poll.h>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using mafio_plugins::ChildExit;

// Between SIGTERM and SIGKILL, for a timeout and when the input stops.
constexpr std::chrono::milliseconds kKillGrace{1000};
// What one poll() reads of standard error at most (standard output: one LineReader chunk).
constexpr size_t kStderrPerPoll = 64 * 1024;
// On a host without scheduling, poll() waits at most this long for the command.
constexpr int kUnscheduledWaitMs = 100;

int64_t monotonic_ns(Clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}
int64_t realtime_ns() {
    timespec ts{};
    ::clock_gettime(CLOCK_REALTIME, &ts);
    return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

class ExecInput final : public mafio::Input {
public:
    ExecInput(mafio::Host host, mafio::Options &opts)
        : Input(host), setup_(mafio_plugins::child_setup_option(opts)),
          lines_(host, mafio_plugins::max_line_bytes_option(opts)) {
        read_command(opts);
        timeout_s_ = opts.seconds("timeout", 0);
        emit_status_ = opts.boolean("emit_status", false);
        runs_ = host.counter("runs", "runs of the command started");
        failed_ = host.counter("runs_failed",
                               "runs that ended with a non-zero exit, a signal or the timeout");
        timeouts_ = host.counter("timeouts", "runs killed because they outlived timeout");
        stderr_lines_ = host.counter("stderr_lines", "lines the command wrote to stderr");
        exit_code_ =
            host.gauge("last_exit_code", "exit code of the last run; 128+N when signal N ended it");
        duration_ms_ = host.gauge("last_duration_ms", "how long the last run took, in ms");
        running_ = host.gauge("running", "1 while the command runs");
        // Records carry the time they were read.
        lines_.set_before_emit([](mafio_batch *b) {
            const int64_t now = realtime_ns();
            for (uint32_t i = 0; i < b->count; ++i)
                if (b->records[i].ts_ns == 0) b->records[i].ts_ns = now;
        });
    }
    ~ExecInput() override { end_now(); }

    void stop() override { end_now(); }

    mafio_status poll() override {
        if (!child_.running()) begin_run();
        bool progressed = false;
        if (child_.stdout_fd() >= 0) {
            const ssize_t n = lines_.read_chunk(child_.stdout_fd());
            if (n > 0) progressed = true;
            if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
                close_watched(&mafio_plugins::ChildProcess::stdout_fd,
                              &mafio_plugins::ChildProcess::close_stdout);
        }
        if (child_.stderr_fd() >= 0) read_stderr();
        if (!exit_seen_ && child_.exited()) {
            exit_seen_ = true;
            if (child_.exit_fd() >= 0) host().unwatch_fd(child_.exit_fd()); // stays readable
        }
        enforce_timeout();
        if (exit_seen_ && child_.stdout_fd() < 0 && child_.stderr_fd() < 0) return end_run();
        if (progressed) return MAFIO_OK;
        if (!scheduled_)
            wait_unscheduled();
        else if (!exit_seen_ && child_.exit_fd() < 0)
            host().wake_at(monotonic_ns(Clock::now() + std::chrono::milliseconds(50)));
        return MAFIO_RETRY;
    }

private:
    void read_command(mafio::Options &opts) {
        const bool shell = opts.boolean("shell", false);
        const bool has_argv = opts.has("argv"), has_command = opts.has("command");
        const std::string where = opts.where();
        if (has_argv == has_command)
            throw mafio::Error(where + ": give either \"argv\" (an array: the program and its "
                                       "arguments) or \"command\" (a string run by /bin/sh -c, "
                                       "with \"shell\": true)");
        if (has_command) {
            if (!shell)
                throw mafio::Error(where + ".command: a command string runs through /bin/sh -c "
                                           "only with \"shell\": true; or give \"argv\": [...] "
                                           "to run a program without a shell");
            spec_.argv = {"/bin/sh", "-c", opts.required_string("command")};
        } else {
            if (shell)
                throw mafio::Error(where + ".shell: true takes a \"command\" string, not \"argv\"");
            spec_.argv = opts.strings("argv");
            if (spec_.argv.empty())
                throw mafio::Error(where + ".argv: expected a non-empty array of strings (the "
                                           "program, then its arguments)");
        }
        for (size_t i = 0; i < spec_.argv.size(); ++i)
            if (spec_.argv[i].find('\0') != std::string::npos)
                throw mafio::Error(where + ".argv[" + std::to_string(i) + "]: contains NUL");
        command_text_ = spec_.argv.back();
        if (!has_command) {
            command_text_.clear();
            for (const auto &a : spec_.argv)
                command_text_ += (command_text_.empty() ? "" : " ") + a;
        }
        spec_.path = mafio_plugins::executable_or_throw(
            spec_.argv[0], setup_, where + (has_command ? ".shell" : ".argv[0]"));
        spec_.env = setup_.env;
        spec_.cwd = setup_.cwd;
    }

    void begin_run() {
        if (std::string err = child_.start(spec_); !err.empty())
            throw mafio::Error("cannot run " + spec_.path + ": " + err, MAFIO_ERR_IO);
        exit_seen_ = timed_out_ = killed_ = false;
        host().add(runs_, 1);
        host().set(running_, 1);
        // A host without scheduling returns false for each: poll() then waits itself.
        scheduled_ = host().watch_fd(child_.stdout_fd());
        scheduled_ = host().watch_fd(child_.stderr_fd()) && scheduled_;
        if (child_.exit_fd() >= 0) scheduled_ = host().watch_fd(child_.exit_fd()) && scheduled_;
        if (timeout_s_ > 0) {
            deadline_ =
                child_.started() +
                std::chrono::nanoseconds(static_cast<int64_t>(std::llround(timeout_s_ * 1e9)));
            host().wake_at(monotonic_ns(deadline_));
        }
    }

    void read_stderr() {
        std::string chunk;
        size_t total = 0;
        while (total < kStderrPerPoll) {
            const ssize_t n = mafio_plugins::read_some(child_.stderr_fd(), chunk, 16384);
            if (n < 0) return; // nothing more now
            if (n == 0) {
                stderr_.finish([&](std::string_view l) { log_stderr(l); });
                close_watched(&mafio_plugins::ChildProcess::stderr_fd,
                              &mafio_plugins::ChildProcess::close_stderr);
                return;
            }
            total += static_cast<size_t>(n);
            stderr_.feed(chunk, [&](std::string_view l) { log_stderr(l); });
        }
    }
    void log_stderr(std::string_view line) {
        host().add(stderr_lines_, 1);
        budget_.log(host(), MAFIO_LOG_WARN, "stderr: " + mafio_plugins::loggable(line));
    }

    // Past the timeout: SIGTERM to the command's process group, SIGKILL a grace later; a grace
    // after that, pipes still held open (by a process that left the group) are given up.
    void enforce_timeout() {
        if (timeout_s_ <= 0) return;
        const auto now = Clock::now();
        if (!timed_out_ && now >= deadline_) {
            timed_out_ = true;
            host().add(timeouts_, 1);
            if (!exit_seen_ || child_.stdout_fd() >= 0 || child_.stderr_fd() >= 0)
                child_.signal_group(SIGTERM);
            kill_at_ = now + kKillGrace;
            host().wake_at(monotonic_ns(kill_at_));
        } else if (timed_out_ && !killed_ && now >= kill_at_) {
            killed_ = true;
            child_.signal_group(SIGKILL);
            kill_at_ = now + kKillGrace;
            host().wake_at(monotonic_ns(kill_at_));
        } else if (killed_ && now >= kill_at_ && exit_seen_) {
            close_watched(&mafio_plugins::ChildProcess::stdout_fd,
                          &mafio_plugins::ChildProcess::close_stdout);
            close_watched(&mafio_plugins::ChildProcess::stderr_fd,
                          &mafio_plugins::ChildProcess::close_stderr);
        }
    }

    void close_watched(int (mafio_plugins::ChildProcess::*fd)() const,
                       void (mafio_plugins::ChildProcess::*close)()) {
        if ((child_.*fd)() < 0) return;
        host().unwatch_fd((child_.*fd)());
        (child_.*close)();
    }

    mafio_status end_run() {
        lines_.finish(); // a last line without a newline is a record too
        stderr_.finish([&](std::string_view l) { log_stderr(l); });
        budget_.flush(host());
        const auto duration = Clock::now() - child_.started();
        const ChildExit e = child_.reap();
        const int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(duration).count();
        host().set(running_, 0);
        host().set(exit_code_, e.signal ? 128 + e.signal : e.code);
        host().set(duration_ms_, ms);
        const std::string how = mafio_plugins::describe_exit(e, timed_out_, timeout_s_);
        if (!e.ok() || timed_out_) {
            host().add(failed_, 1);
            host().warn("`" + command_text_ + "` ended: " + how);
            // With MAFIO_EOF: a scheduled run's result (/pipeline) says it failed, and why.
            host().set_error("`" + command_text_ + "` " + how);
        } else {
            host().debug("`" + command_text_ + "` ended: " + how + " after " + std::to_string(ms) +
                         " ms");
        }
        if (emit_status_) emit_status(e, ms);
        return MAFIO_EOF;
    }

    void emit_status(const ChildExit &e, int64_t ms) {
        const std::string json = std::string("{\"exit_code\":") +
                                 (e.signal ? "null" : std::to_string(e.code)) +
                                 ",\"signal\":" + (e.signal ? std::to_string(e.signal) : "null") +
                                 ",\"duration_ms\":" + std::to_string(ms) +
                                 ",\"timed_out\":" + (timed_out_ ? "true" : "false") + "}";
        mafio_batch *b = host().new_batch(json.size(), 1);
        mafio::append_record(host(), b, json, 0, realtime_ns());
        (void)host().emit(b); // MAFIO_ERR_STOPPED still delivers it
    }

    // The input stops (or is destroyed) during a run: the command and its group are stopped;
    // what it had not yet written is not waited for.
    void end_now() {
        if (!child_.running()) return;
        for (int fd : {child_.stdout_fd(), child_.stderr_fd(), child_.exit_fd()})
            if (fd >= 0) host().unwatch_fd(fd);
        const ChildExit e = child_.stop(kKillGrace);
        lines_.discard_partial_line();
        host().set(running_, 0);
        host().info("stopped `" + command_text_ + "` while it ran (" +
                    mafio_plugins::describe_exit(e, false, 0) + ")");
    }

    // On a host without mafio.fd.v1 / mafio.timer.v1: wait here, at most kUnscheduledWaitMs.
    void wait_unscheduled() {
        pollfd fds[2];
        nfds_t n = 0;
        for (int fd : {child_.stdout_fd(), child_.stderr_fd()})
            if (fd >= 0) fds[n++] = pollfd{fd, POLLIN, 0};
        int ms = exit_seen_ || n > 0 ? kUnscheduledWaitMs : 10;
        ::poll(n ? fds : nullptr, n, ms);
    }

    mafio_plugins::ChildSetup setup_;
    mafio_plugins::ChildSpec spec_;
    std::string command_text_; // for log lines
    double timeout_s_ = 0;
    bool emit_status_ = false;
    mafio_plugins::LineReader lines_;
    mafio_plugins::OutputLines stderr_;
    mafio_plugins::LogBudget budget_;
    mafio_plugins::ChildProcess child_;
    bool scheduled_ = false;
    bool exit_seen_ = false, timed_out_ = false, killed_ = false;
    Clock::time_point deadline_{}, kill_at_{};
    mafio_metric_id runs_, failed_, timeouts_, stderr_lines_, exit_code_, duration_ms_, running_;
};

} // namespace

MAFIO_PLUGIN(
    ExecInput, "exec", "V1", "1.0.0",
    "runs a command once (or at each tick of the host's schedule); each line of its stdout is a "
    "record, stderr lines go to the log",
    "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{"
    "\"argv\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"minItems\":1,"
    "\"description\":\"the program (looked up in the child's PATH) and its arguments, run "
    "without a shell\"},"
    "\"command\":{\"type\":\"string\",\"description\":\"a command line run by /bin/sh -c; needs "
    "shell: true (give argv or command)\"},"
    "\"shell\":{\"type\":\"boolean\",\"default\":false,"
    "\"description\":\"run `command` with /bin/sh -c\"},"
    "\"timeout\":{\"type\":[\"number\",\"string\"],\"default\":0,"
    "\"description\":\"kill the command's whole process group (SIGTERM, SIGKILL 1 s later) when a "
    "run lasts longer; 0: no limit\"},"
    "\"emit_status\":{\"type\":\"boolean\",\"default\":false,\"description\":\"after each run, "
    "emit {\\\"exit_code\\\":..,\\\"signal\\\":..,\\\"duration_ms\\\":..,\\\"timed_out\\\":..} as "
    "one more record\"}," MAFIO_CHILD_ENV_SCHEMA "," MAFIO_MAX_LINE_BYTES_SCHEMA "}}")
