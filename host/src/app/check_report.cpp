#include "app/check_report.hpp"

#include "config/running_config.hpp"
#include "config/schedule_rules.hpp"
#include "config/topology_diff.hpp"
#include "control/reload.hpp"
#include "schedule/clock_jump.hpp"
#include "util/log.hpp"

#include <fmt/format.h>

namespace mafio {

namespace {

std::string ids(const std::vector<std::unique_ptr<Instance>> &list,
                const std::vector<size_t> &indices) {
    std::string out;
    for (size_t i : indices)
        out += (out.empty() ? "" : ", ") + list[i]->id();
    return out.empty() ? "-" : out;
}

std::string globs(const std::vector<std::string> &match) {
    if (match.empty()) return "*";
    std::string out;
    for (const auto &g : match)
        out += (out.empty() ? "" : ", ") + g;
    return out;
}

const PluginSpec &spec_of(const std::vector<PluginSpec> &specs, size_t i) {
    return specs[i];
}

std::string id_note(const PluginSpec &spec) {
    return spec.id_explicit ? "" : " (derived)";
}

} // namespace

std::string check_report(const AgentConfig &cfg, Pipeline &p) {
    std::string out = fmt::format("configuration OK: {} input(s), {} filter(s), {} output(s); "
                                  "every plugin loaded and accepted its options\n",
                                  cfg.inputs.size(), cfg.filters.size(), cfg.outputs.size());
    for (size_t i = 0; i < p.inputs().size(); ++i) {
        const Instance &in = *p.inputs()[i];
        const Pipeline::Route &r = p.route(i);
        out +=
            fmt::format("  input  {}{} [{}] {} tag={} -> filters: {} -> outputs: {}\n", in.id(),
                        id_note(spec_of(cfg.inputs, i)), in.where(), in.plugin().id(),
                        p.input_tag(i), ids(p.filters(), r.filters), ids(p.outputs(), r.outputs));
        if (auto sched = p.schedule_snapshot(i)) {
            auto parsed = parse_input_schedule(spec_of(cfg.inputs, i).schedule);
            auto next = parsed.next_after(schedule::wall_now_ns());
            out +=
                fmt::format("         schedule \"{}\" ({}; overlap {}, catch_up {}), next run {}\n",
                            sched->expression, sched->timezone, sched->overlap, sched->catch_up,
                            next ? schedule::format_local(*next, parsed.zone()) : "never");
        }
    }
    for (size_t f = 0; f < p.filters().size(); ++f)
        out += fmt::format("  filter {}{} [{}] {} match={}\n", p.filters()[f]->id(),
                           id_note(spec_of(cfg.filters, f)), p.filters()[f]->where(),
                           p.filters()[f]->plugin().id(), globs(p.filter_match(f)));
    for (size_t o = 0; o < p.outputs().size(); ++o)
        out += fmt::format("  output {}{} [{}] {} match={}\n", p.outputs()[o]->id(),
                           id_note(spec_of(cfg.outputs, o)), p.outputs()[o]->where(),
                           p.outputs()[o]->plugin().id(), globs(p.output_match(o)));
    warn_unrouted_inputs(p);
    return out;
}

std::string diff_report(const AgentConfig &next, bool &applies) {
    applies = false;
    std::string error;
    auto running = read_running_config(next.data_dir, error);
    if (!running) return "-diff: " + error + "\n";
    const TopologyDiff d = diff_topology(*running, next);
    std::string out = fmt::format("against the running configuration ({}, revision {}):\n",
                                  running_config_path(next.data_dir), config_revision(*running));
    auto what = [](const ComponentChange &c) {
        std::string w;
        for (const auto &x : c.what)
            w += (w.empty() ? "" : ", ") + x;
        return w;
    };
    for (const auto &c : d.added)
        out += fmt::format("  + {} {} [{}]\n", c.kind, c.id, c.where);
    for (const auto &c : d.removed)
        out += fmt::format("  - {} {}\n", c.kind, c.id);
    for (const auto &c : d.changed)
        out += fmt::format("  ~ {} {} [{}]: {}\n", c.kind, c.id, c.where, what(c));
    for (const auto &s : d.settings)
        out += fmt::format("  ! {} changed: takes effect at the next start, not by reload\n", s);
    if (d.empty()) out += "  no change\n";
    const std::string refusal = reload_refusal(d);
    applies = refusal.empty();
    out += applies ? "a reload would apply this\n" : "a reload would be refused: " + refusal + "\n";
    return out;
}

size_t warn_unrouted_inputs(Pipeline &p) {
    size_t n = 0;
    for (size_t i = 0; i < p.inputs().size(); ++i) {
        if (!p.route(i).outputs.empty()) continue;
        ++n;
        log::warn("{}: no output matches its tag \"{}\"; its records will be acknowledged and "
                  "counted as unrouted (mafio_records_unrouted_total), not delivered",
                  p.inputs()[i]->label(), p.input_tag(i));
    }
    return n;
}

} // namespace mafio
