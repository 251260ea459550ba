// command:V1 — runs each record as a job, like the original agent's `command` output, but safe by
// default: a record runs only if it is valid UTF-8 without NUL and matches an `allow` pattern in
// full; it is passed as one argument of an `argv` template (no shell), or as the script of
// /bin/sh -c only with `shell: true`. At most `concurrency` jobs run at once.
//
// Acknowledgement: a record is done when its job has finished (exit 0), or when its failure was
// handled by `on_failure` (drop: counted; dead_letter: appended to the file), or when it was
// rejected (not allowed, invalid: counted, logged, never run and never retried). With
// on_failure "retry" a failed job holds the records from it on: write() reports the done prefix
// and MAFIO_RETRY, and the host calls again after its backoff. Jobs of later records that had
// already succeeded are remembered for that retry (RetryMemo), so they do not run twice.
//
// No job outlives write(): it returns only when every job it started has ended and been reaped.
// When the agent stops, running and queued jobs still run for `shutdown_grace`; after that the
// running ones are killed with their process groups and their records stay unacknowledged.
#include "allow_list.hpp"
#include "argv_template.hpp"
#include "dead_letter.hpp"
#include "job_pool.hpp"
#include "retry_memo.hpp"
#include "utf8.hpp" // valid:V1's validator: one definition of valid UTF-8 in the tree

#include "../../common/child_env.hpp"

#include <mafio/plugin.hpp>

#include <cstring>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

namespace {

using command_v1::Clock;
using command_v1::Finished;

enum class OnFailure { retry, drop, dead_letter };
// What became of one record of the bulk being written.
enum class Fate : uint8_t { pending, done, held };

std::string excerpt(std::string_view record) {
    constexpr size_t kMax = 120;
    std::string s = mafio_plugins::loggable(record.substr(0, kMax));
    if (record.size() > kMax) s += "...";
    return s;
}

class CommandOutput final : public mafio::Output {
public:
    CommandOutput(mafio::Host host, mafio::Options &opts)
        : Output(host), setup_(mafio_plugins::child_setup_option(opts)),
          allow_(allow_option(opts), opts.where() + ".allow"),
          pool_(host, budget_,
                {host.counter("output_lines", "lines the jobs wrote to stdout or stderr"),
                 host.counter("jobs_timed_out", "jobs killed because they outlived timeout"),
                 host.gauge("jobs_running", "jobs running now")}) {
        read_command(opts);
        timeout_s_ = opts.seconds("timeout", 60);
        concurrency_ = static_cast<size_t>(opts.integer("concurrency", 1, 1, 64));
        shutdown_grace_ = opts.seconds("shutdown_grace", 3);
        const std::string f = opts.choice("on_failure", "drop", {"drop", "retry", "dead_letter"});
        on_failure_ = f == "retry"  ? OnFailure::retry
                      : f == "drop" ? OnFailure::drop
                                    : OnFailure::dead_letter;
        dead_letter_path_ = opts.string("dead_letter_path", "");
        if (on_failure_ == OnFailure::dead_letter && dead_letter_path_.empty())
            throw mafio::Error(opts.where() + ".dead_letter_path: required with \"on_failure\": "
                                              "\"dead_letter\" (the file failed records are "
                                              "appended to)");
        if (on_failure_ != OnFailure::dead_letter && !dead_letter_path_.empty())
            throw mafio::Error(opts.where() +
                               ".dead_letter_path: used only with \"on_failure\": "
                               "\"dead_letter\"; on_failure is \"" +
                               f + "\"");
        started_ = host.counter("jobs_started", "jobs started");
        succeeded_ = host.counter("jobs_succeeded", "jobs that exited with code 0");
        failed_ = host.counter("jobs_failed",
                               "jobs that failed: non-zero exit, signal, timeout or no start");
        not_allowed_ = host.counter("rejected_not_allowed",
                                    "records matching no allow pattern: not run, acknowledged");
        invalid_ = host.counter("rejected_invalid",
                                "records not valid UTF-8 or holding NUL: not run, acknowledged");
        dropped_ = host.counter("dropped_failed", "records whose job failed, dropped (on_failure "
                                                  "drop)");
        dead_lettered_ =
            host.counter("dead_lettered", "records whose job failed, appended to dead_letter_path");
        retried_ = host.counter("retried", "failed jobs whose record is run again (on_failure "
                                           "retry)");
        exit_code_ = host.gauge("last_exit_code",
                                "exit code of the last job that ended; 128+N for signal N");
    }

    void start(const mafio_start_args &) override {
        if (on_failure_ != OnFailure::dead_letter) return;
        if (std::string err = dead_letter_.open(dead_letter_path_); !err.empty())
            throw mafio::Error("dead_letter_path: cannot open " + dead_letter_path_ + ": " + err,
                               MAFIO_ERR_IO);
    }
    void stop() override {
        pool_.kill_all();
        budget_.flush(host());
        dead_letter_.close();
    }

    mafio_status write(const mafio_batch *batch, uint32_t first, uint32_t count,
                       uint32_t &done) override {
        memo_.use(batch);
        std::vector<Fate> fate(count, Fate::pending);
        uint32_t next = 0;
        bool hold = false; // a record is held: start nothing more in this call
        for (;;) {
            const bool past_grace = note_stopping();
            while (!hold && !past_grace && pool_.size() < concurrency_ && next < count) {
                const uint32_t slot = next++;
                fate[slot] = admit(slot, first + slot, mafio::record_bytes(batch, first + slot));
                hold = fate[slot] == Fate::held;
            }
            if (pool_.size() == 0) break;
            pool_.step(std::chrono::milliseconds(100), [&](const Finished &f) {
                fate[f.slot] = resolve(f, mafio::record_bytes(batch, first + f.slot));
                hold = hold || fate[f.slot] == Fate::held;
            });
        }
        budget_.flush(host());
        if (std::string err = dead_letter_.sync(); !err.empty())
            host().error("dead_letter_path: cannot sync " + dead_letter_path_ + ": " + err);
        uint32_t prefix = 0;
        while (prefix < count && fate[prefix] == Fate::done)
            ++prefix;
        done = prefix;
        if (prefix == count) {
            memo_.clear();
            return MAFIO_OK;
        }
        for (uint32_t i = prefix + 1; i < count; ++i)
            if (fate[i] == Fate::done)
                memo_.remember(first + i, mafio::record_bytes(batch, first + i));
        host().set_error(stop_deadline_ && Clock::now() >= *stop_deadline_
                             ? "the agent is stopping: records not run yet stay unacknowledged"
                             : "a job failed (on_failure \"retry\"): its record runs again");
        return MAFIO_RETRY;
    }

private:
    static std::vector<std::string> allow_option(mafio::Options &opts) {
        std::vector<std::string> allow = opts.strings("allow");
        if (allow.empty())
            throw mafio::Error(opts.where() +
                               ".allow: required: the regular expressions (PCRE2) a record must "
                               "match in full to be run, e.g. [\"^touch /tmp/jobs/[a-z]+$\"]; "
                               "command refuses to start without it (records may come from logs "
                               "or a central config); [\".*\"] allows everything");
        return allow;
    }

    void read_command(mafio::Options &opts) {
        const bool shell = opts.boolean("shell", false);
        const std::string where = opts.where();
        if (shell) {
            if (opts.has("argv"))
                throw mafio::Error(where + ".argv: not with \"shell\": true, which runs each "
                                           "record as the script of /bin/sh -c");
            template_ = {"/bin/sh", "-c", std::string(command_v1::kRecordToken)};
        } else {
            template_ = opts.strings("argv");
            if (template_.empty())
                throw mafio::Error(where + ".argv: required without \"shell\": true: the program "
                                           "and its arguments, where \"{record}\" stands for the "
                                           "record, e.g. [\"/usr/local/bin/job\", \"{record}\"]");
            if (!command_v1::mentions_record(template_))
                throw mafio::Error(where + ".argv: no element contains \"{record}\", so the "
                                           "record would never reach the command");
            if (template_[0].find(command_v1::kRecordToken) != std::string::npos)
                throw mafio::Error(where + ".argv[0]: the program cannot come from the record; "
                                           "put \"{record}\" in an argument");
        }
        for (size_t i = 0; i < template_.size(); ++i)
            if (template_[i].find('\0') != std::string::npos)
                throw mafio::Error(where + ".argv[" + std::to_string(i) + "]: contains NUL");
        spec_.path = mafio_plugins::executable_or_throw(template_[0], setup_,
                                                        where + (shell ? ".shell" : ".argv[0]"));
        spec_.env = setup_.env;
        spec_.cwd = setup_.cwd;
    }

    // True once the agent's stop has lasted shutdown_grace: running jobs are then stopped.
    bool note_stopping() {
        if (!stop_deadline_ && host().stopping()) {
            stop_deadline_ = Clock::now() +
                             std::chrono::nanoseconds(static_cast<int64_t>(shutdown_grace_ * 1e9));
            if (pool_.size() > 0)
                host().info("agent stopping: " + std::to_string(pool_.size()) +
                            " running job(s) get shutdown_grace to finish");
        }
        if (!stop_deadline_ || Clock::now() < *stop_deadline_) return false;
        pool_.stop_all();
        return true;
    }

    // Starts the record's job, or settles a record that does not run.
    Fate admit(uint32_t slot, uint32_t index, std::string_view record) {
        if (memo_.done(index, record)) return Fate::done;
        const auto *bytes = reinterpret_cast<const unsigned char *>(record.data());
        if (std::memchr(record.data(), 0, record.size()) ||
            !valid_v1::is_valid_utf8(bytes, record.size())) {
            host().add(invalid_, 1);
            budget_.log(host(), MAFIO_LOG_WARN,
                        "record not run: not valid UTF-8 or holds NUL (rejected_invalid)");
            return Fate::done;
        }
        if (!allow_.allows(record)) {
            host().add(not_allowed_, 1);
            budget_.log(host(), MAFIO_LOG_WARN,
                        "record not run: matches no allow pattern (rejected_not_allowed): `" +
                            excerpt(record) + "`");
            return Fate::done;
        }
        spec_.argv = command_v1::expand(template_, record);
        host().add(started_, 1);
        if (std::string err = pool_.start(slot, spec_, timeout_s_); !err.empty()) {
            budget_.log(host(), MAFIO_LOG_WARN,
                        "cannot start job for `" + excerpt(record) + "`: " + err);
            Finished f{slot, {127, 0}, false, false, {}};
            return resolve(f, record);
        }
        return Fate::pending;
    }
    Fate resolve(const Finished &f, std::string_view record) {
        host().set(exit_code_, f.exit.signal ? 128 + f.exit.signal : f.exit.code);
        if (f.stopped) {
            budget_.log(host(), MAFIO_LOG_WARN,
                        "job for `" + excerpt(record) +
                            "` killed at shutdown; its record is not acknowledged");
            return Fate::held;
        }
        const std::string how = mafio_plugins::describe_exit(f.exit, f.timed_out, timeout_s_);
        if (f.exit.ok() && !f.timed_out) {
            host().add(succeeded_, 1);
            host().debug("job `" + excerpt(record) + "` done in " + std::to_string(f.took.count()) +
                         " ms");
            return Fate::done;
        }
        host().add(failed_, 1);
        std::string line = "job `" + excerpt(record) + "` failed: " + how;
        switch (on_failure_) {
        case OnFailure::drop:
            host().add(dropped_, 1);
            budget_.log(host(), MAFIO_LOG_WARN, line + "; dropped (on_failure drop)");
            return Fate::done;
        case OnFailure::retry:
            host().add(retried_, 1);
            budget_.log(host(), MAFIO_LOG_WARN, line + "; will run again (on_failure retry)");
            return Fate::held;
        case OnFailure::dead_letter:
            break;
        }
        const std::string err = dead_letter_.append(
            command_v1::dead_letter_line(record, f.exit, f.timed_out, std::time(nullptr)));
        if (!err.empty()) {
            budget_.log(host(), MAFIO_LOG_ERROR,
                        line + "; cannot append it to " + dead_letter_path_ + " (" + err +
                            "), so it will run again");
            return Fate::held;
        }
        host().add(dead_lettered_, 1);
        budget_.log(host(), MAFIO_LOG_WARN, line + "; appended to " + dead_letter_path_);
        return Fate::done;
    }

    mafio_plugins::ChildSetup setup_;
    command_v1::AllowList allow_;
    mafio_plugins::LogBudget budget_;
    command_v1::JobPool pool_;
    command_v1::RetryMemo memo_;
    command_v1::DeadLetterFile dead_letter_;
    std::vector<std::string> template_;
    mafio_plugins::ChildSpec spec_;
    double timeout_s_ = 60, shutdown_grace_ = 3;
    size_t concurrency_ = 1;
    OnFailure on_failure_ = OnFailure::drop;
    std::string dead_letter_path_;
    std::optional<Clock::time_point> stop_deadline_;
    mafio_metric_id started_, succeeded_, failed_, not_allowed_, invalid_, dropped_, dead_lettered_,
        retried_, exit_code_;
};

} // namespace

MAFIO_PLUGIN(
    CommandOutput, "command", "V1", "1.0.0",
    "runs each record as a job (a program with the record as one argument, or /bin/sh -c with "
    "shell: true); only records matching `allow` in full run",
    "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"allow\"],"
    "\"properties\":{"
    "\"allow\":{\"type\":[\"string\",\"array\"],\"items\":{\"type\":\"string\"},"
    "\"description\":\"PCRE2 patterns; a record runs only if one matches it in full; "
    "others are counted in rejected_not_allowed, logged, acknowledged and never run\"},"
    "\"argv\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"minItems\":1,"
    "\"description\":\"the program and its arguments, run without a shell; every {record} in an "
    "argument is replaced by the record (still one argument)\"},"
    "\"shell\":{\"type\":\"boolean\",\"default\":false,"
    "\"description\":\"run each record as the script of /bin/sh -c (instead of argv)\"},"
    "\"concurrency\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":64,\"default\":1,"
    "\"description\":\"jobs running at the same time\"},"
    "\"timeout\":{\"type\":[\"number\",\"string\"],\"default\":\"60s\","
    "\"description\":\"a job running longer is killed with its process group (SIGTERM, SIGKILL "
    "1 s later) and counts as failed; 0: no limit\"},"
    "\"on_failure\":{\"type\":\"string\",\"enum\":[\"drop\",\"retry\",\"dead_letter\"],"
    "\"default\":\"drop\",\"description\":\"a job that failed: drop its record (counted in "
    "dropped_failed), retry it (host backoff; later records wait), or append it to "
    "dead_letter_path\"},"
    "\"dead_letter_path\":{\"type\":\"string\",\"description\":\"with on_failure dead_letter: "
    "the file failed records are appended to, one JSON line each with exit_code, signal, "
    "timed_out\"},"
    "\"shutdown_grace\":{\"type\":[\"number\",\"string\"],\"default\":\"3s\","
    "\"description\":\"when the agent stops, how long jobs may still run before their process "
    "groups are killed; keep it below the agent's shutdown_grace\"}," MAFIO_CHILD_ENV_SCHEMA "}}")
