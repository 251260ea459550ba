// The jobs command:V1 runs at the same time (at most `concurrency`): each a child process whose
// stdout and stderr lines go to the log within a budget, killed with its process group when it
// outlives its timeout or the agent's stop. step() waits in poll(2) on every job's pipes and
// exit (pidfd), so waiting costs no CPU, and reports each job that ended, reaped.
#pragma once

#include "../../common/child_output.hpp"
#include "../../common/child_process.hpp"

#include <mafio/plugin.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <memory>
#include <poll.h>
#include <string>
#include <vector>

namespace command_v1 {

using Clock = std::chrono::steady_clock;

// Between SIGTERM and SIGKILL, and after SIGKILL before pipes still held open (by a process
// that left the job's group) are given up.
inline constexpr std::chrono::milliseconds kKillGrace{1000};

struct Finished {
    uint32_t slot;                 // what the caller passed to start()
    mafio_plugins::ChildExit exit; // how it ended
    bool timed_out = false;        // the timeout ended it
    bool stopped = false;          // the agent's stop ended it: it did not run to its end
    std::chrono::milliseconds took{};
};

class JobPool {
public:
    struct Metrics {
        mafio_metric_id output_lines, timed_out, running;
    };
    JobPool(const mafio::Host &host, mafio_plugins::LogBudget &budget, Metrics m)
        : host_(host), budget_(budget), m_(m) {}
    ~JobPool() { kill_all(); }

    size_t size() const { return jobs_.size(); }

    // Starts a job for `slot`; "" or why it could not start.
    std::string start(uint32_t slot, const mafio_plugins::ChildSpec &spec, double timeout_s) {
        auto job = std::make_unique<Job>();
        job->slot = slot;
        if (std::string err = job->child.start(spec); !err.empty()) return err;
        job->deadline =
            timeout_s > 0
                ? job->child.started() +
                      std::chrono::nanoseconds(static_cast<int64_t>(std::llround(timeout_s * 1e9)))
                : Clock::time_point::max();
        jobs_.push_back(std::move(job));
        host_.set(m_.running, static_cast<int64_t>(jobs_.size()));
        return {};
    }

    // The agent is stopping and the jobs' grace is over: SIGTERM to every job, SIGKILL later.
    void stop_all() {
        const auto now = Clock::now();
        for (auto &j : jobs_) {
            if (j->stopped || j->timed_out) continue;
            j->stopped = true;
            j->child.signal_group(SIGTERM);
            j->kill_at = now + kKillGrace;
        }
    }

    // Waits at most `max_wait` for output, an exit or a due timer, handles what happened, and
    // calls on_finished(const Finished &) for every job that ended.
    template <class F> void step(std::chrono::milliseconds max_wait, F &&on_finished) {
        wait(max_wait);
        const auto now = Clock::now();
        for (size_t i = 0; i < jobs_.size();) {
            Job &j = *jobs_[i];
            drain(j, j.child.stdout_fd(), j.out, MAFIO_LOG_INFO, "stdout",
                  &mafio_plugins::ChildProcess::close_stdout);
            drain(j, j.child.stderr_fd(), j.err, MAFIO_LOG_WARN, "stderr",
                  &mafio_plugins::ChildProcess::close_stderr);
            if (!j.exit_seen) j.exit_seen = j.child.exited();
            enforce_timers(j, now);
            if (!j.exit_seen || j.child.stdout_fd() >= 0 || j.child.stderr_fd() >= 0) {
                ++i;
                continue;
            }
            Finished f{
                j.slot,
                {},
                j.timed_out,
                j.stopped,
                std::chrono::duration_cast<std::chrono::milliseconds>(now - j.child.started())};
            f.exit = j.child.reap();
            jobs_.erase(jobs_.begin() + static_cast<std::ptrdiff_t>(i));
            host_.set(m_.running, static_cast<int64_t>(jobs_.size()));
            on_finished(f);
        }
    }

    // Immediately, without a grace: for the destructor (nothing may outlive the instance).
    void kill_all() {
        for (auto &j : jobs_)
            j->child.stop(std::chrono::milliseconds(0));
        jobs_.clear();
        host_.set(m_.running, 0);
    }

private:
    struct Job {
        uint32_t slot = 0;
        mafio_plugins::ChildProcess child;
        mafio_plugins::OutputLines out, err;
        Clock::time_point deadline{}, kill_at{}, give_up_at{};
        bool exit_seen = false, timed_out = false, stopped = false, killed = false;
    };

    void wait(std::chrono::milliseconds max_wait) {
        std::vector<pollfd> fds;
        auto until = Clock::now() + max_wait;
        bool exit_unwatchable = false;
        for (const auto &j : jobs_) {
            for (int fd : {j->child.stdout_fd(), j->child.stderr_fd()})
                if (fd >= 0) fds.push_back(pollfd{fd, POLLIN, 0});
            if (!j->exit_seen) {
                if (j->child.exit_fd() >= 0)
                    fds.push_back(pollfd{j->child.exit_fd(), POLLIN, 0});
                else
                    exit_unwatchable = true;
            }
            until = std::min(until, next_timer(*j));
        }
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
        // +1: poll rounds down, and a timer due in 0.4 ms must not be polled for in a loop.
        int ms = static_cast<int>(std::clamp<int64_t>(left.count() + 1, 0, max_wait.count()));
        if (exit_unwatchable) ms = std::min(ms, 20); // no pidfd: look at waitid now and then
        ::poll(fds.data(), fds.size(), ms);
    }

    static Clock::time_point next_timer(const Job &j) {
        if (j.killed) return j.give_up_at;
        if (j.timed_out || j.stopped) return j.kill_at;
        return j.deadline;
    }

    void enforce_timers(Job &j, Clock::time_point now) {
        if (!j.timed_out && !j.stopped && now >= j.deadline) {
            j.timed_out = true;
            host_.add(m_.timed_out, 1);
            j.child.signal_group(SIGTERM);
            j.kill_at = now + kKillGrace;
        } else if ((j.timed_out || j.stopped) && !j.killed && now >= j.kill_at) {
            j.killed = true;
            j.child.signal_group(SIGKILL);
            j.give_up_at = now + kKillGrace;
        } else if (j.killed && j.exit_seen && now >= j.give_up_at) {
            j.child.close_stdout();
            j.child.close_stderr();
        }
    }

    // Reads what the pipe has now (bounded per step, so one chatty job cannot starve the
    // others), logging its lines.
    void drain(Job &j, int fd, mafio_plugins::OutputLines &lines, mafio_log_level level,
               const char *stream, void (mafio_plugins::ChildProcess::*close)()) {
        if (fd < 0) return;
        auto log_line = [&](std::string_view l) {
            host_.add(m_.output_lines, 1);
            budget_.log(host_, level,
                        "job " + std::to_string(j.child.pid()) + " " + stream + ": " +
                            mafio_plugins::loggable(l));
        };
        for (size_t total = 0; total < kPerStep;) {
            const ssize_t n = mafio_plugins::read_some(fd, buf_, 16384);
            if (n < 0) return;
            if (n == 0) {
                lines.finish(log_line);
                (j.child.*close)();
                return;
            }
            total += static_cast<size_t>(n);
            lines.feed(buf_, log_line);
        }
    }

    static constexpr size_t kPerStep = 64 * 1024;
    mafio::Host host_;
    mafio_plugins::LogBudget &budget_;
    Metrics m_;
    std::vector<std::unique_ptr<Job>> jobs_;
    std::string buf_;
};

} // namespace command_v1
