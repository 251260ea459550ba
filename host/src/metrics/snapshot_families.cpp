#include "metrics/snapshot_families.hpp"

#include "build_info.hpp"

#include <mafio/plugin.h>

#include <cctype>
#include <chrono>
#include <map>

namespace mafio {

namespace {

using Type = MetricFamily::Type;

// Keyed by the component id, which survives restarts, reorders and reloads. Not "instance":
// Prometheus sets that label on every target itself (ours would become exported_instance).
MetricLabels instance_labels(const InstanceSnapshot &i) {
    return {{"component", i.id}, {"plugin", i.plugin}, {"kind", i.kind}};
}

MetricLabels channel_labels(const ChannelSnapshot &c) {
    return {{"channel", c.name}, {"component", c.component}, {"plugin", c.plugin}};
}

// Which kinds a counter means something for: no always-zero series for the others.
enum KindMask : unsigned { input = 1, filter = 2, output = 4, any = 7 };
bool applies(unsigned kinds, const InstanceSnapshot &i) {
    if (i.kind == "input") return kinds & input;
    if (i.kind == "filter") return kinds & filter;
    return kinds & output;
}

// One family per member of InstanceSnapshot the host counts.
void add_instance_counters(std::vector<MetricFamily> &out, const AgentSnapshot &snap) {
    struct Counter {
        const char *name, *help;
        uint64_t InstanceSnapshot::*field;
        unsigned kinds;
    };
    static const Counter counters[] = {
        {"mafio_records_in_total", "Records a component received (inputs: read from their source).",
         &InstanceSnapshot::records_in, any},
        {"mafio_records_out_total",
         "Records a component passed on (filters) or delivered (outputs).",
         &InstanceSnapshot::records_out, filter | output},
        {"mafio_records_dropped_total",
         "Records a filter removed (the plugin's own counters give the reasons).",
         &InstanceSnapshot::records_dropped, filter},
        {"mafio_records_failed_total", "Records an output gave up on.",
         &InstanceSnapshot::records_failed, output},
        {"mafio_records_unrouted_total",
         "Records of an input that no output's match took: acknowledged, not delivered.",
         &InstanceSnapshot::records_unrouted, input},
        {"mafio_bytes_in_total", "Record bytes an input emitted.", &InstanceSnapshot::bytes_in,
         input},
        {"mafio_batches_total", "Batches a component handled.", &InstanceSnapshot::batches, any},
        {"mafio_errors_total", "Failed plugin callbacks.", &InstanceSnapshot::errors, any},
        {"mafio_retries_total", "Transient output failures that were retried.",
         &InstanceSnapshot::retries, output},
    };
    for (const auto &c : counters) {
        MetricFamily f{c.name, c.help, Type::counter, {}};
        for (const auto &i : snap.instances)
            if (applies(c.kinds, i))
                f.series.push_back({instance_labels(i), MetricValue::of_u(i.*(c.field))});
        out.push_back(std::move(f));
    }
    MetricFamily failing{"mafio_instance_failing_seconds",
                         "How long an output's writes have been failing; 0 while they succeed.",
                         Type::gauge,
                         {}};
    int64_t now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    for (const auto &i : snap.instances) {
        if (i.kind != "output") continue;
        double s = i.failing_since_ns > 0 && now_ns > i.failing_since_ns
                       ? static_cast<double>(now_ns - i.failing_since_ns) / 1e9
                       : 0.0;
        failing.series.push_back({instance_labels(i), MetricValue::of_real(s)});
    }
    out.push_back(std::move(failing));

    MetricFamily lag{"mafio_input_unfinished_batches",
                     "Batches an input emitted that not every output has finished yet: how far "
                     "its committed checkpoint trails what it has read.",
                     Type::gauge,
                     {}};
    for (const auto &i : snap.instances)
        if (i.unfinished_batches >= 0)
            lag.series.push_back({instance_labels(i),
                                  MetricValue::of_u(static_cast<uint64_t>(i.unfinished_batches))});
    out.push_back(std::move(lag));

    // Scheduled inputs (README "Scheduling").
    struct ScheduleCounter {
        const char *name, *help;
        uint64_t ScheduleSnapshot::*field;
    };
    static const ScheduleCounter schedule_counters[] = {
        {"mafio_schedule_runs_total", "Runs of a scheduled input that began at a tick.",
         &ScheduleSnapshot::runs},
        {"mafio_schedule_failed_runs_total",
         "Runs of a scheduled input that failed (could not start, or ended with an error).",
         &ScheduleSnapshot::failed_runs},
        {"mafio_schedule_skipped_ticks_total",
         "Ticks of a scheduled input that came while its last run still ran (overlap skip).",
         &ScheduleSnapshot::skipped_ticks},
        {"mafio_schedule_missed_ticks_total",
         "Ticks of a scheduled input that passed while the agent could not run them (downtime, "
         "suspension, a clock set forward).",
         &ScheduleSnapshot::missed_ticks},
    };
    for (const auto &c : schedule_counters) {
        MetricFamily f{c.name, c.help, Type::counter, {}};
        for (const auto &i : snap.instances)
            if (i.schedule)
                f.series.push_back(
                    {instance_labels(i), MetricValue::of_u((*i.schedule).*(c.field))});
        out.push_back(std::move(f));
    }
    MetricFamily last_ok{"mafio_schedule_last_run_ok",
                         "1 if a scheduled input's last run ended at end of input, 0 if it "
                         "failed; absent before the first run ended.",
                         Type::gauge,
                         {}};
    MetricFamily next{"mafio_schedule_next_fire_timestamp_seconds",
                      "When a scheduled input runs next (Unix time).",
                      Type::gauge,
                      {}};
    for (const auto &i : snap.instances) {
        if (!i.schedule) continue;
        if (i.schedule->last_result == "ok" || i.schedule->last_result.rfind("failed", 0) == 0)
            last_ok.series.push_back(
                {instance_labels(i), MetricValue::of_u(i.schedule->last_result == "ok" ? 1 : 0)});
        if (i.schedule->next_fire_ns > 0 && i.schedule->next_fire_ns < INT64_MAX)
            next.series.push_back(
                {instance_labels(i), MetricValue::of_real(double(i.schedule->next_fire_ns) / 1e9)});
    }
    out.push_back(std::move(last_ok));
    out.push_back(std::move(next));

    MetricFamily store{"mafio_checkpoint_store_failing",
                       "1 while an input's committed checkpoints cannot be stored (retried every "
                       "checkpoint_interval), else 0.",
                       Type::gauge,
                       {}};
    for (const auto &i : snap.instances)
        if (i.kind == "input")
            store.series.push_back(
                {instance_labels(i), MetricValue::of_u(i.checkpoint_store_failing ? 1 : 0)});
    out.push_back(std::move(store));
}

// Families in first-seen order, so the output is stable from scrape to scrape.
void add_plugin_metrics(std::vector<MetricFamily> &out, const AgentSnapshot &snap) {
    std::map<std::string, size_t> index;
    std::vector<MetricFamily> families;
    for (const auto &i : snap.instances) {
        for (const auto &m : i.plugin_metrics) {
            bool counter = m.kind == MetricSet::Kind::counter;
            // dropped_<reason> counters are series of mafio_records_dropped_by_reason_total.
            if (counter && m.name.rfind("dropped_", 0) == 0 && m.name.size() > 8) continue;
            std::string name = "mafio_plugin_" + sanitized_metric_name(m.name);
            if (counter && (name.size() < 6 || name.compare(name.size() - 6, 6, "_total") != 0))
                name += "_total";
            auto [it, added] = index.emplace(name, families.size());
            if (added)
                families.push_back(
                    MetricFamily{name,
                                 m.help.empty() ? "Registered by the plugin." : m.help,
                                 counter ? Type::counter : Type::gauge,
                                 {}});
            families[it->second].series.push_back({instance_labels(i), MetricValue::of(m.value)});
        }
    }
    for (auto &f : families)
        out.push_back(std::move(f));
}

void add_channels(std::vector<MetricFamily> &out, const AgentSnapshot &snap) {
    struct Gauge {
        const char *name, *help;
        uint64_t ChannelSnapshot::*field;
    };
    static const Gauge gauges[] = {
        {"mafio_channel_records", "Records waiting in a channel.", &ChannelSnapshot::records},
        {"mafio_channel_capacity_records", "The records a channel holds before it blocks.",
         &ChannelSnapshot::capacity_records},
        {"mafio_channel_bytes", "Record bytes waiting in a channel.", &ChannelSnapshot::bytes},
        {"mafio_channel_capacity_bytes", "The bytes a channel holds before it blocks.",
         &ChannelSnapshot::capacity_bytes},
    };
    for (const auto &g : gauges) {
        MetricFamily f{g.name, g.help, Type::gauge, {}};
        for (const auto &c : snap.channels)
            f.series.push_back({channel_labels(c), MetricValue::of_u(c.*(g.field))});
        out.push_back(std::move(f));
    }
}

void add_process(std::vector<MetricFamily> &out, const AgentSnapshot &snap) {
    const ProcessSnapshot &p = snap.process;
    auto one = [&](const char *name, const char *help, Type type, MetricValue v) {
        out.push_back(MetricFamily{name, help, type, {MetricSeries{{}, v}}});
    };
    // The names every Prometheus client library's process collector uses, so standard
    // dashboards and alerts work unchanged.
    one("process_cpu_seconds_total", "User and system CPU time of the agent.", Type::counter,
        MetricValue::of_real(p.cpu_seconds));
    one("process_resident_memory_bytes", "Resident memory (VmRSS).", Type::gauge,
        MetricValue::of_u(p.rss_bytes));
    one("mafio_process_peak_resident_memory_bytes", "Peak resident memory (VmHWM).", Type::gauge,
        MetricValue::of_u(p.peak_rss_bytes));
    one("process_open_fds", "Open file descriptors.", Type::gauge, MetricValue::of_u(p.open_fds));
    one("process_threads", "Threads of the agent.", Type::gauge, MetricValue::of_u(p.threads));
    one("process_start_time_seconds", "Start of the agent, Unix time.", Type::gauge,
        MetricValue::of_real(p.start_time_s));
    one("mafio_uptime_seconds", "Seconds since the agent started.", Type::gauge,
        MetricValue::of_real(p.uptime_s));
    out.push_back(MetricFamily{"mafio_build_info",
                               "Always 1; the labels say which build runs.",
                               Type::gauge,
                               {MetricSeries{{{"version", build::version},
                                              {"commit", build::commit},
                                              {"abi", std::to_string(MAFIO_ABI_MAJOR) + "." +
                                                          std::to_string(MAFIO_ABI_MINOR)}},
                                             MetricValue::of(1)}}});
}

} // namespace

std::string sanitized_metric_name(const std::string &name) {
    std::string out;
    for (char c : name)
        out += std::isalnum(static_cast<unsigned char>(c)) || c == '_' ? c : '_';
    if (out.empty() || std::isdigit(static_cast<unsigned char>(out.front()))) out.insert(0, "_");
    return out;
}

// A plugin counter named dropped_<reason> (valid's dropped_empty, dropped_utf8, ...) is also
// one series of mafio_records_dropped_by_reason_total, so a dashboard can sum or split drops
// by reason across plugins without knowing each plugin's metric names (plugin.h documents it).
void add_drop_reasons(std::vector<MetricFamily> &out, const AgentSnapshot &snap) {
    static const std::string prefix = "dropped_";
    MetricFamily f{
        "mafio_records_dropped_by_reason_total",
        "Records a plugin dropped, by the reason it gave (its dropped_<reason> counters).",
        Type::counter,
        {}};
    for (const auto &i : snap.instances)
        for (const auto &m : i.plugin_metrics)
            if (m.kind == MetricSet::Kind::counter && m.name.size() > prefix.size() &&
                m.name.compare(0, prefix.size(), prefix) == 0) {
                MetricLabels labels = instance_labels(i);
                labels.emplace_back("reason", m.name.substr(prefix.size()));
                f.series.push_back({labels, MetricValue::of(m.value)});
            }
    out.push_back(std::move(f));
}

std::vector<MetricFamily> snapshot_families(const AgentSnapshot &snap) {
    std::vector<MetricFamily> out;
    add_instance_counters(out, snap);
    add_drop_reasons(out, snap);
    add_plugin_metrics(out, snap);
    add_channels(out, snap);
    add_process(out, snap);
    std::map<std::string, size_t> own_family; // name -> index in `out`
    for (const auto &c : snap.own) {
        MetricSeries series{MetricLabels(c.labels.begin(), c.labels.end()),
                            MetricValue::of_u(c.value)};
        auto [it, fresh] = own_family.emplace(c.name, out.size());
        if (fresh)
            out.push_back(MetricFamily{c.name, c.help, Type::counter, {std::move(series)}});
        else
            out[it->second].series.push_back(std::move(series));
    }
    return out;
}

} // namespace mafio
