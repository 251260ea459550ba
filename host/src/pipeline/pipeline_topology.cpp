// A reload's change of the graph itself: components added and removed, tags and matches
// changed, routes recomputed. Applied while every input thread is held between two polls (no
// emit() runs, so no route is read), with output threads writing on; slots are never reused,
// so indices held anywhere stay valid (a removed component is only `retired`).
#include "pipeline/pipeline.hpp"

#include "config/topology.hpp"
#include "util/log.hpp"

#include <algorithm>
#include <map>

namespace mafio {

uint32_t Pipeline::next_index(mafio_kind kind) const {
    const size_t n = kind == MAFIO_KIND_INPUT    ? inputs_.size()
                     : kind == MAFIO_KIND_FILTER ? filters_.size()
                                                 : outputs_.size();
    return static_cast<uint32_t>(n);
}

void Pipeline::compute_routes(const std::vector<std::string> &filter_order) {
    std::vector<size_t> order;
    for (const auto &id : filter_order)
        if (int f = index_of(filters_, id); f >= 0) order.push_back(static_cast<size_t>(f));
    route_inputs(std::move(order));
}

void Pipeline::route_inputs(std::vector<size_t> filter_order) {
    filter_order_ = std::move(filter_order);
    for (size_t i = 0; i < inputs_.size(); ++i) {
        InputState &in = *inputs_state_[i];
        in.route = {};
        if (inputs_[i]->retired) continue;
        for (size_t f : filter_order_)
            if (tag_matches(filters_state_[f]->match, in.tag())) in.route.filters.push_back(f);
        for (size_t o = 0; o < outputs_.size(); ++o)
            if (!outputs_[o]->retired && tag_matches(outputs_state_[o]->match, in.tag()))
                in.route.outputs.push_back(o);
        set_feeds(in.route);
    }
}

std::string Pipeline::apply_topology(TopologyPlan plan, std::chrono::milliseconds timeout) {
    std::lock_guard one_change(swap_mutex_);
    if (stopping()) return "the agent is stopping";
    if (inputs_.size() + plan.add_inputs.size() > max_components ||
        filters_.size() + plan.add_filters.size() > max_components ||
        outputs_.size() + plan.add_outputs.size() > max_components)
        return "more than " + std::to_string(max_components) +
               " components of one kind over the agent's life; restart to apply";
    for (const auto &id : plan.remove)
        if (!kind_of(id)) return "no component \"" + id + "\" to remove";

    // 1. Hold every running input between two polls: from here on no route is read.
    std::vector<size_t> held;
    for (size_t i = 0; i < inputs_.size(); ++i) {
        InputState &in = *inputs_state_[i];
        if (inputs_[i]->retired || in.thread_done || !in.thread.joinable()) continue;
        in.swapping = true;
        inputs_[i]->wakeup.notify();
        in.thread.join();
        held.push_back(i);
    }
    auto resume_held = [&](const std::vector<size_t> &which) {
        for (size_t i : which) {
            inputs_state_[i]->swapping = false;
            start_input_thread(i);
        }
    };

    // 2. Add the new components, invisible (retired) until everything started.
    const size_t first_in = inputs_.size(), first_f = filters_.size(), first_o = outputs_.size();
    {
        std::unique_lock exclusive(graph_mutex_);
        for (auto &inst : plan.add_outputs) {
            inst->retired = true;
            outputs_.push_back(std::move(inst));
            outputs_state_.push_back(std::make_unique<OutputState>(settings_.write_channel_records,
                                                                   settings_.channel_bytes));
        }
        for (auto &inst : plan.add_filters) {
            inst->retired = true;
            filters_.push_back(std::move(inst));
            filters_state_.push_back(std::make_unique<FilterState>());
        }
        for (auto &inst : plan.add_inputs) {
            inst->retired = true;
            inputs_.push_back(std::move(inst));
            inputs_state_.push_back(std::make_unique<InputState>());
            attach_schedule(inputs_.size() - 1);
        }
    }
    std::vector<Instance *> started;
    std::string failure;
    try {
        for (size_t o = first_o; o < outputs_.size(); ++o) {
            outputs_[o]->start({});
            started.push_back(outputs_[o].get());
        }
        for (size_t f = first_f; f < filters_.size(); ++f) {
            filters_[f]->start({});
            started.push_back(filters_[f].get());
        }
        for (size_t i = first_in; i < inputs_.size(); ++i) {
            inputs_state_[i]->set_tag(inputs_[i]->id()); // until step 3 sets the configured one
            inputs_[i]->start(load_checkpoints(i));
            started.push_back(inputs_[i].get());
        }
    } catch (const std::exception &e) {
        failure = e.what();
    }
    if (!failure.empty()) { // the new ones stay retired; the graph is as it was
        for (auto it = started.rbegin(); it != started.rend(); ++it)
            (*it)->stop();
        resume_held(held);
        return "a new component failed to start: " + failure;
    }

    // 3. The new tags and matches, and the routes they make, checked before anything is removed.
    std::map<std::string, std::string> tags(plan.tags.begin(), plan.tags.end());
    std::map<std::string, std::vector<std::string>> matches(plan.matches.begin(),
                                                            plan.matches.end());
    // What an undo needs: the old routes, tags and matches, and what this change retired.
    std::vector<Route> old_routes;
    const std::vector<size_t> old_filter_order = filter_order_;
    std::vector<std::string> old_tags;
    for (auto &in : inputs_state_) {
        old_routes.push_back(in->route);
        old_tags.push_back(in->tag());
    }
    std::vector<std::vector<std::string>> old_filter_match, old_output_match;
    for (auto &f : filters_state_)
        old_filter_match.push_back(f->match);
    for (auto &o : outputs_state_)
        old_output_match.push_back(o->match);
    std::vector<Instance *> retired_now;
    // The components this change adds are shown (or hidden again by an undo).
    auto show_added = [&](bool shown) {
        for (size_t k = first_in; k < inputs_.size(); ++k)
            inputs_[k]->retired = !shown;
        for (size_t k = first_f; k < filters_.size(); ++k)
            filters_[k]->retired = !shown;
        for (size_t k = first_o; k < outputs_.size(); ++k)
            outputs_[k]->retired = !shown;
    };
    {
        std::unique_lock exclusive(graph_mutex_);
        for (const auto &id : plan.remove)
            for (auto *list : {&inputs_, &filters_, &outputs_})
                if (int k = index_of(*list, id); k >= 0) {
                    (*list)[k]->retired = true;
                    retired_now.push_back((*list)[k].get());
                }
        show_added(true);
        for (size_t i = 0; i < inputs_.size(); ++i)
            if (auto t = tags.find(inputs_[i]->id()); t != tags.end() && !inputs_[i]->retired)
                inputs_state_[i]->set_tag(t->second);
        for (size_t f = 0; f < filters_.size(); ++f)
            if (auto m = matches.find(filters_[f]->id()); m != matches.end())
                filters_state_[f]->match = m->second;
        for (size_t o = 0; o < outputs_.size(); ++o)
            if (auto m = matches.find(outputs_[o]->id()); m != matches.end())
                outputs_state_[o]->match = m->second;
        compute_routes(plan.filter_order);
    }
    std::string dead_end;
    for (size_t i = 0; i < inputs_.size() && dead_end.empty(); ++i)
        for (size_t o : inputs_state_[i]->route.outputs)
            if (outputs_state_[o]->thread_done || outputs_state_[o]->queue.closed())
                dead_end = inputs_[i]->id() + " would be routed to " + outputs_[o]->id() +
                           ", which has ended (every input it had ended); restart to apply";
    if (!dead_end.empty()) { // undo: the old graph, the new components stopped and retired
        std::unique_lock exclusive(graph_mutex_);
        for (Instance *inst : retired_now)
            inst->retired = false;
        show_added(false);
        for (size_t f = 0; f < old_filter_match.size(); ++f)
            filters_state_[f]->match = old_filter_match[f];
        for (size_t o = 0; o < old_output_match.size(); ++o)
            outputs_state_[o]->match = old_output_match[o];
        filter_order_ = old_filter_order;
        for (size_t i = 0; i < old_routes.size(); ++i) {
            inputs_state_[i]->route = old_routes[i];
            inputs_state_[i]->set_tag(old_tags[i]);
        }
        exclusive.unlock();
        for (auto it = started.rbegin(); it != started.rend(); ++it)
            (*it)->stop();
        resume_held(held);
        return dead_end;
    }

    // 4. Removed components leave. Their batches in flight still finish: an input's positions
    // are stored by the checkpoint thread as they are acknowledged.
    // An input that leaves a filter's route (removed, retagged, or the filter removed or
    // rematched) ends for that filter (mafio/ext/hold.h): what the filters hold of it goes on
    // first, along the route it had. Otherwise no later batch of it would ever carry those
    // records out, and its checkpoints would wait for them until the agent stops.
    auto set_route = [&](size_t i, Route r) {
        std::unique_lock exclusive(graph_mutex_);
        inputs_state_[i]->route = std::move(r);
    };
    for (size_t i : held) {
        Route now = inputs_state_[i]->route;
        const auto &before = old_routes[i].filters;
        if (std::all_of(before.begin(), before.end(), [&](size_t f) {
                return std::find(now.filters.begin(), now.filters.end(), f) != now.filters.end();
            }))
            continue;
        set_route(i, old_routes[i]);
        release_held_of_input(i, true);
        set_route(i, std::move(now));
    }
    std::vector<size_t> keep, gone;
    for (size_t i : held) {
        if (!inputs_[i]->retired) {
            keep.push_back(i);
            continue;
        }
        gone.push_back(i);
        inputs_state_[i]->swapping = false;
        inputs_[i]->stop();
        std::lock_guard lock(mutex_);
        inputs_state_[i]->thread_done = true;
        --running_threads_;
        changed_.notify_all();
    }
    for (size_t f = 0; f < first_f; ++f)
        if (filters_[f]->retired && !filters_state_[f]->stopped.exchange(true)) {
            std::lock_guard calls(filters_state_[f]->calls);
            release_all_held_by(f);
            filters_[f]->flush();
            filters_[f]->stop();
        }
    for (size_t o = 0; o < first_o; ++o)
        if (outputs_[o]->retired && !outputs_state_[o]->stopped.exchange(true))
            outputs_state_[o]->queue.close(); // it writes out its queue, then its thread ends

    // 5. Producers follow the new routes; new threads start.
    {
        std::lock_guard lock(mutex_);
        for (auto &o : outputs_state_)
            o->producers = 0;
        for (size_t i = 0; i < inputs_.size(); ++i)
            if (!inputs_[i]->retired && !inputs_state_[i]->thread_done)
                for (size_t o : inputs_state_[i]->route.feeds)
                    outputs_state_[o]->producers++;
        running_threads_ += (inputs_.size() - first_in) + (outputs_.size() - first_o);
    }
    for (size_t o = 0; o < outputs_.size(); ++o)
        if (!outputs_[o]->retired && outputs_state_[o]->producers == 0)
            outputs_state_[o]->queue.close(); // nothing will ever feed it: it ends
    for (size_t o = first_o; o < outputs_.size(); ++o)
        output_threads_.emplace_back([this, o] { output_loop(o); });
    for (size_t i = first_in; i < inputs_.size(); ++i)
        start_input_thread(i);
    resume_held(keep);
    // A removed input's last batches are acknowledged (bounded), and its positions stored.
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (size_t i : gone)
        if (!inputs_state_[i]->tracker.wait_drained(deadline))
            log::warn("{}: removed with {} batch(es) still unacknowledged; their positions are "
                      "stored when they are",
                      inputs_[i]->label(), inputs_state_[i]->tracker.unfinished());
    if (!gone.empty()) store_checkpoints();
    // The removed outputs' threads end once their queues are written out: stop them then.
    for (size_t o = 0; o < first_o; ++o) {
        if (!outputs_[o]->retired || !outputs_state_[o]->stopped) continue;
        std::unique_lock lock(mutex_);
        if (!changed_.wait_until(lock, deadline,
                                 [&] { return outputs_state_[o]->thread_done.load(); }))
            continue; // still writing; stopped with the rest of the agent at exit
        lock.unlock();
        std::lock_guard calls(outputs_state_[o]->calls);
        outputs_[o]->stop();
    }
    log::info("graph changed: {} added, {} removed", started.size(), plan.remove.size());
    return {};
}

} // namespace mafio
