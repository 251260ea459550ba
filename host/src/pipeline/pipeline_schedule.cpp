// Scheduled inputs (README "Scheduling"): an input with a "schedule" is polled only during a
// run. A run begins at a tick and lasts until the input reports end of input (MAFIO_EOF);
// then its instance is stopped, and the next tick creates and starts a fresh one from the
// committed checkpoints.
//
// Why a fresh instance per run rather than polling the same one again: MAFIO_EOF means "the
// source is exhausted for good" in the ABI, and plugins act on it (filereader:V1 and V2
// finish their files and answer MAFIO_EOF from then on; stdin is at its end). A new instance
// started with the committed positions is exactly a restart of the agent, which every input
// already handles: a scheduled filereader with exit_on_eof reads what was appended since the
// last run, once. The first run uses the instance started with the agent, so a plugin that
// cannot start is still refused at start.
//
// Between runs the input thread sleeps in Wakeup::wait_idle until the next fire time on the
// monotonic clock (no polling), waking early only for control actions and when the kernel says
// the wall clock was set (schedule::ClockJumpWatch). The lifecycle calls of the per-run
// instances are made on the input's own thread, between its runs, never beside a data call.
#include "pipeline/pipeline.hpp"

#include "config/schedule_rules.hpp"
#include "util/log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace mafio {

namespace {

constexpr std::chrono::milliseconds unscheduled_pause{20};

std::string last_fire_file(const std::string &component_dir) {
    return component_dir.empty() ? std::string() : component_dir + "schedule-last-fire";
}

int64_t read_last_fire(const std::string &file) {
    if (file.empty()) return 0;
    std::ifstream in(file);
    long long v = 0;
    return (in >> v) ? v : 0;
}

// Temp file and rename: a crash leaves the old value or the new one, never half of one. No
// fsync: losing the last value to a power cut costs at most one catch-up decision.
void write_last_fire(const std::string &file, int64_t fire_ns, const std::string &label) {
    if (file.empty()) return;
    const std::string tmp = file + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << fire_ns << "\n";
        if (!out) {
            log::warn("{}: cannot write {} (catch_up after a restart cannot know this run)", label,
                      tmp);
            return;
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, file, ec);
}

void log_notes(const std::string &label, std::vector<std::string> notes) {
    for (const auto &n : notes)
        log::info("{}: {}", label, n);
}

std::string shown_time(int64_t ns, const schedule::TimeZone &zone) {
    return ns <= 0 || ns == INT64_MAX ? std::string() : schedule::format_local(ns, zone);
}

} // namespace

void Pipeline::attach_schedule(size_t index) {
    const auto &spec = inputs_[index]->schedule_spec;
    if (!spec || spec->expression.empty()) return;
    RunPolicy policy{spec->overlap == "queue", spec->catch_up == "one"};
    // Checked when the configuration was read: parsing again cannot fail.
    inputs_state_[index]->scheduled =
        std::make_unique<ScheduledInput>(*spec, RunClock(parse_input_schedule(*spec), policy));
}

void Pipeline::scheduled_input_loop(size_t index) {
    InputState &state = *inputs_state_[index];
    ScheduledInput &run = *state.scheduled;
    const std::string label = inputs_[index]->label();
    const std::string fire_file = last_fire_file(inputs_[index]->data_dir());
    if (!run.begun) {
        std::lock_guard lock(run.mutex);
        // Read with catch_up none too: the ticks missed while the agent was down are counted.
        run.clock.begin(schedule::wall_now_ns(), schedule::monotonic_now_ns(),
                        read_last_fire(fire_file));
        run.begun = true;
        log_notes(label, run.clock.take_notes());
        log::info("{}: scheduled \"{}\" ({}); first run at {}", label, run.spec.expression,
                  run.clock.schedule().zone().name(),
                  shown_time(run.clock.next_fire_ns(), run.clock.schedule().zone()));
    }
    while (!instance_stopping(*inputs_[index]) && !state.swapping.load()) {
        Instance &in = *inputs_[index]; // a run may have put a fresh instance in the slot
        if (state.control.paused.load(std::memory_order_relaxed)) {
            // Between runs the plugin's descriptors do not count (a spent instance's may
            // even be closed): only resume, stop and pause wake a paused idle input.
            if (run.in_run)
                in.wakeup.wait(std::chrono::milliseconds(-1));
            else
                in.wakeup.wait_idle(INT64_MAX / 2, -1);
            continue;
        }
        if (!run.in_run) {
            RunClock::Decision d;
            {
                std::lock_guard lock(run.mutex);
                d = run.clock.on_wake(schedule::wall_now_ns(), schedule::monotonic_now_ns(),
                                      run.jump.take());
                log_notes(label, run.clock.take_notes());
            }
            if (!d.run) {
                in.wakeup.wait_idle(d.sleep_ns, run.jump.fd());
                continue;
            }
            write_last_fire(fire_file, d.fire_ns, label);
            begin_run(index, d.fire_ns);
            continue;
        }
        if (state.held_call_at.load(std::memory_order_relaxed) != 0)
            release_held_of_input(index, false); // a filter's process_at (mafio.hold.v1)
        const mafio_status st = in.poll();
        if (st == MAFIO_OK) continue;
        if (st == MAFIO_RETRY) {
            in.wakeup.wait(unscheduled_pause);
            continue;
        }
        // What filters hold of this run goes on now: the next run waits for every batch of
        // this one to be acknowledged, held ones included.
        release_held_of_input(index, true);
        end_run(index, st);
    }
    if (!state.swapping.load(std::memory_order_relaxed)) release_held_of_input(index, true);
    input_ended(index);
}

// A run starts: with the instance started with the agent for the first run, else with a fresh
// one created from the component's options and started from the committed checkpoints.
void Pipeline::begin_run(size_t index, int64_t fire_ns) {
    InputState &state = *inputs_state_[index];
    ScheduledInput &run = *state.scheduled;
    Instance &spent = *inputs_[index];
    const schedule::TimeZone &zone = run.clock.schedule().zone();
    if (spent.stopped()) {
        // Every batch of the last run acknowledged first: the committed positions are final.
        while (!state.tracker.wait_drained(std::chrono::steady_clock::now() +
                                           std::chrono::milliseconds(200)))
            if (instance_stopping(spent) || state.swapping.load()) return;
        const CheckpointMap positions = state.tracker.committed();
        std::vector<mafio_checkpoint> views;
        for (const auto &[stream, bytes] : positions)
            views.push_back(
                mafio_checkpoint{stream, static_cast<uint32_t>(bytes.size()), bytes.data()});
        auto fresh = std::make_unique<Instance>(spent.plugin_ptr(), spent.id(), spent.where(),
                                                spent.index());
        // Before create, where the plugin registers its metrics: /metrics must not see an
        // exec:V1 `runs_total` fall back to 1 at each run (a counter that resets is a restart).
        fresh->metrics.carry_from(spent.metrics);
        try {
            fresh->create(spent.options_json(), spent.data_dir(), this);
            fresh->start(views);
        } catch (const std::exception &e) {
            spent.stats.errors++;
            log::error("{}: the run for {} could not start: {}; the next tick tries again",
                       spent.label(), shown_time(fire_ns, zone), e.what());
            std::lock_guard lock(run.mutex);
            run.last_start_ns = run.last_end_ns = schedule::wall_now_ns();
            run.last_result = std::string("failed to start: ") + e.what();
            run.failed_runs++;
            return;
        }
        carry_stats(spent.stats, fresh->stats);
        std::unique_ptr<Instance> previous;
        {
            std::unique_lock exclusive(graph_mutex_);
            previous = std::move(inputs_[index]);
            inputs_[index] = std::move(fresh);
        }
        previous.reset(); // destroy(), on this thread: nothing else calls it
    }
    std::lock_guard lock(run.mutex);
    run.last_start_ns = schedule::wall_now_ns();
    run.in_run = true;
    log::debug("{}: run for {} started", inputs_[index]->label(), shown_time(fire_ns, zone));
}

// The run ends at end of input, or at a failure (logged and counted; the next tick runs the
// input again): a scheduled input never ends the agent.
void Pipeline::end_run(size_t index, mafio_status st) {
    Instance &in = *inputs_[index];
    ScheduledInput &run = *inputs_state_[index]->scheduled;
    std::string result = "ok";
    const bool failed = st != MAFIO_EOF || in.has_error();
    if (st != MAFIO_EOF) {
        in.stats.errors++;
        result = "failed: " + in.take_error(st);
        log::error("{}; the run ends and the next tick runs the input again", result.substr(8));
    } else if (failed) {
        // End of input with an error set: the source ended, but the run failed (exec:V1: its
        // command failed or timed out). The plugin has logged it; the run counts as failed.
        result = "failed: " + in.take_error(st);
    }
    in.stop();
    std::lock_guard lock(run.mutex);
    run.in_run = false;
    run.last_end_ns = schedule::wall_now_ns();
    run.last_result = std::move(result);
    if (failed) run.failed_runs++;
    run.clock.on_run_end(run.last_end_ns, schedule::monotonic_now_ns());
    log_notes(in.label(), run.clock.take_notes());
    log::debug("{}: run ended ({}); next at {}", in.label(), run.last_result,
               shown_time(run.clock.next_fire_ns(), run.clock.schedule().zone()));
}

std::optional<ScheduleSnapshot> Pipeline::schedule_snapshot(size_t index) const {
    const ScheduledInput *run = inputs_state_[index]->scheduled.get();
    if (!run) return std::nullopt;
    std::lock_guard lock(run->mutex);
    const schedule::TimeZone &zone = run->clock.schedule().zone();
    ScheduleSnapshot s;
    s.expression = run->spec.expression;
    s.timezone = zone.name();
    s.overlap = run->spec.overlap;
    s.catch_up = run->spec.catch_up;
    s.running = run->in_run.load();
    s.runs = run->clock.runs();
    s.skipped_ticks = run->clock.skipped();
    s.missed_ticks = run->clock.missed();
    s.failed_runs = run->failed_runs;
    s.last_run_start = shown_time(run->last_start_ns, zone);
    s.last_run_end = run->in_run ? std::string() : shown_time(run->last_end_ns, zone);
    s.last_result = run->in_run ? std::string("running") : run->last_result;
    s.next_fire_ns = run->begun ? run->clock.next_fire_ns() : 0;
    s.next_fire = shown_time(s.next_fire_ns, zone);
    return s;
}

} // namespace mafio
