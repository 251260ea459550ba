// cron:V1 — the original agent's cron input: each string of `cron_map` becomes one record at
// every tick of its expression, with the tick's time as the record's time. It sleeps on the
// host's timer until the next tick (no CPU in between) and never ends by itself.
//
//   {"plugin": "cron", "cron_map": {"0 */1 * * * ?": ["ps -ef | grep go"]}}
#include "schedule/clock_jump.hpp"
#include "schedule/schedule.hpp"
#include "schedule/schedule_error.hpp"

#include <mafio/plugin.hpp>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace sch = mafio::schedule;

// A tick this much later than due is reported as late (the machine was suspended, or the clock
// was set forward); it still fires once.
constexpr int64_t kLateNs = 60LL * 1000000000;
// Without the host's timer (an older host), poll() sleeps at most this long per call.
constexpr auto kUnscheduledSleep = std::chrono::milliseconds(100);

struct Job {
    sch::Schedule schedule;
    std::vector<std::string> lines;
    int64_t next_ns = 0;
};

class CronInput final : public mafio::Input {
public:
    CronInput(mafio::Host host, mafio::Options &opts) : Input(host) {
        const std::string where = opts.where();
        sch::TimeZone zone;
        std::string tz = opts.string("timezone", "");
        try {
            zone = tz.empty() ? sch::TimeZone::local() : sch::TimeZone::named(tz);
        } catch (const sch::ScheduleError &e) {
            throw mafio::Error(where + ".timezone: " + e.what(), MAFIO_ERR_INVALID);
        }
        const rapidjson::Value *map = opts.value("cron_map");
        const std::string example =
            R"(; expected an object such as {"0 */1 * * * ?": ["ps -ef | grep go"]})";
        if (!map) throw mafio::Error(where + ".cron_map: required" + example, MAFIO_ERR_INVALID);
        if (!map->IsObject() || map->MemberCount() == 0)
            throw mafio::Error(where + ".cron_map: not an object with at least one expression" +
                                   example,
                               MAFIO_ERR_INVALID);
        for (auto m = map->MemberBegin(); m != map->MemberEnd(); ++m) {
            const std::string key(m->name.GetString(), m->name.GetStringLength());
            const std::string at = where + ".cron_map.\"" + key + "\"";
            Job job{parse(key, zone, at), {}, 0};
            if (m->value.IsString()) {
                job.lines.emplace_back(m->value.GetString(), m->value.GetStringLength());
            } else if (m->value.IsArray()) {
                for (const auto &e : m->value.GetArray()) {
                    if (!e.IsString())
                        throw mafio::Error(at + ": expected a string or a list of strings",
                                           MAFIO_ERR_INVALID);
                    job.lines.emplace_back(e.GetString(), e.GetStringLength());
                }
            } else {
                throw mafio::Error(at + ": expected a string or a list of strings",
                                   MAFIO_ERR_INVALID);
            }
            jobs_.push_back(std::move(job));
        }
    }

    void start(const mafio_start_args &) override {
        last_wall_ = sch::wall_now_ns();
        last_mono_ = sch::monotonic_now_ns();
        plan_from(last_wall_);
        sleep_until_next();
    }

    void stop() override {
        if (watching_) host().unwatch_fd(jump_.fd());
    }

    mafio_status poll() override {
        // The fd extension is for [instance] calls: the first poll starts watching.
        if (!watching_ && jump_.fd() >= 0) watching_ = host().watch_fd(jump_.fd());
        const int64_t wall = sch::wall_now_ns(), mono = sch::monotonic_now_ns();
        // The wall clock moved otherwise than the monotonic one: it was set. Backwards, the
        // planned ticks lie too far ahead: plan again from now. Forwards, the ticks passed
        // over fire once below.
        const int64_t drift = (wall - last_wall_) - (mono - last_mono_);
        if (jump_.take() || drift > 2000000000 || drift < -2000000000) {
            host().warn("the wall clock jumped by " + std::to_string(drift / 1000000000) +
                        " s; the schedules follow it");
            if (drift < 0) plan_from(wall);
        }
        last_wall_ = wall;
        last_mono_ = mono;
        fire_due(wall);
        if (!sleep_until_next()) std::this_thread::sleep_for(kUnscheduledSleep);
        return MAFIO_RETRY;
    }

private:
    static sch::Schedule parse(const std::string &expr, const sch::TimeZone &zone,
                               const std::string &at) {
        try {
            return sch::Schedule::parse(expr, zone);
        } catch (const sch::ScheduleError &e) {
            throw mafio::Error(at + ": " + e.what(), MAFIO_ERR_INVALID);
        }
    }

    void plan_from(int64_t wall) {
        for (auto &j : jobs_)
            j.next_ns = j.schedule.next_after(wall).value_or(INT64_MAX);
    }

    // Every job whose tick came emits its lines once, stamped with the tick's time; ticks
    // passed over in a jump or a suspension are counted, not repeated.
    void fire_due(int64_t wall) {
        mafio_batch *b = nullptr;
        for (auto &j : jobs_) {
            if (j.next_ns > wall) continue;
            int64_t fire = j.next_ns;
            uint64_t passed_over = 0;
            for (int64_t n = j.schedule.next_after(fire).value_or(INT64_MAX); n <= wall;
                 n = j.schedule.next_after(n).value_or(INT64_MAX)) {
                fire = n;
                if (++passed_over >= 100000) break;
            }
            j.next_ns = j.schedule.next_after(std::max(fire, wall)).value_or(INT64_MAX);
            if (passed_over > 0 || wall - fire > kLateNs)
                host().warn("\"" + j.schedule.expression() + "\": " + std::to_string(passed_over) +
                            " tick(s) passed over while the agent could not run; firing once");
            if (!b) b = host().new_batch(256, static_cast<uint32_t>(j.lines.size()));
            for (const auto &line : j.lines)
                mafio::append_record(host(), b, line, 0, fire);
        }
        if (b) host().emit(b);
    }

    // Asks the host to wake us at the next tick (monotonic); false on a host without timers.
    bool sleep_until_next() {
        int64_t next = INT64_MAX;
        for (const auto &j : jobs_)
            next = std::min(next, j.next_ns);
        if (next == INT64_MAX) next = sch::wall_now_ns() + 3600LL * 1000000000;
        const int64_t left = std::max<int64_t>(0, next - sch::wall_now_ns());
        return host().wake_at(sch::monotonic_now_ns() + left);
    }

    std::vector<Job> jobs_;
    sch::ClockJumpWatch jump_;
    int64_t last_wall_ = 0, last_mono_ = 0;
    bool watching_ = false;
};

} // namespace

MAFIO_PLUGIN(CronInput, "cron", "V1", "1.0.0",
             "the original agent's cron input: each string of cron_map is one record at every "
             "tick of its expression (record time: the tick); never ends by itself",
             R"({"type":"object","additionalProperties":false,"required":["cron_map"],)"
             R"("properties":{"cron_map":{"type":"object","description":"cron expression -> )"
             R"(string or list of strings emitted, one record each, at every tick. Expressions: )"
             R"(6 fields with seconds first (\"0 */1 * * * ?\"), 5 fields (\"*/5 * * * *\"), )"
             R"(names (MON-FRI, JAN), ranges, steps, lists, @hourly @daily @weekly @monthly )"
             R"(@yearly, @every <duration>"},)"
             R"("timezone":{"type":"string","description":"IANA zone the expressions are read )"
             R"(in, such as \"Europe/Berlin\"; default: the agent's local time"}}})")
