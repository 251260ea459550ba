// mafio.retag.v1 (plugin-sdk/include/mafio/ext/retag.h): a filter sends single records on under
// another tag. The records a process() call retags are copied into one batch per tag
// (FilterState::retagged, under the filter's `calls`); right after the call they are linked to
// the batch they came from, which from then on is acknowledged only once they are delivered
// too (its HeldBatch, held_batch.hpp), and once the origin's own filters ran they go on
// through the filters after the retagging one that take their tag, then to the outputs that do.
#include "pipeline/pipeline.hpp"

#include "config/topology.hpp"
#include "pipeline/interned_tag.hpp"

#include <algorithm>
#include <cstring>

namespace mafio {

void Pipeline::retag(Instance &filter, const Batch &b, uint32_t index, std::string_view tag) {
    if (index >= b.view.count) return;
    FilterState &fs = *filters_state_[filter.index()];
    const std::string *interned = interned_tag(tag); // a lock: retagging is for exceptions
    Batch *target = nullptr;
    for (auto &[t, batch] : fs.retagged)
        if (t == interned) target = batch.get();
    if (!target) {
        fs.retagged.emplace_back(interned, BatchPtr(batch_new(0, 0)));
        target = fs.retagged.back().second.get();
    }
    const mafio_record &r = b.view.records[index];
    batch_reserve(target, uint64_t{r.len} + 1, 1);
    mafio_batch &v = target->view;
    std::memcpy(v.arena + v.arena_size, b.view.arena + r.offset, r.len);
    v.arena[v.arena_size + r.len] = '\n'; // as inputs leave it: outputs write runs at once
    v.records[v.count++] = mafio_record{v.arena_size, r.len, r.flags, r.ts_ns};
    v.arena_size += uint64_t{r.len} + 1;
}

uint64_t Pipeline::collect_retagged(FilterState &fs, size_t filter, Batch &origin,
                                    std::vector<Retagged> &out) {
    uint64_t records = 0;
    for (auto &[tag, batch] : fs.retagged) {
        // Linked before the origin can finish: it waits for these records from now on.
        if (!origin.held) origin.held = std::make_shared<HeldBatch>();
        origin.held->waiting.fetch_add(1, std::memory_order_relaxed);
        batch->carries.push_back(origin.held);
        records += batch->view.count;
        out.push_back(Retagged{filter, tag, std::move(batch)});
    }
    fs.retagged.clear();
    return records;
}

void Pipeline::dispatch_retagged(size_t input, uint32_t stream, std::vector<Retagged> &retagged) {
    InputState &in = *inputs_state_[input];
    for (auto &r : retagged) {
        Batch &b = *r.batch;
        b.input = static_cast<uint32_t>(input);
        b.view.stream = stream;
        b.tag = r.tag;
        b.seq = in.tracker.begin();
        const Route route = route_for_tag(*r.tag, r.after_filter);
        continue_route(input, std::move(r.batch), route, 0);
    }
    retagged.clear();
}

Pipeline::Route Pipeline::route_for_tag(const std::string &tag, size_t after_filter) const {
    Route route;
    auto it = std::find(filter_order_.begin(), filter_order_.end(), after_filter);
    if (it != filter_order_.end()) ++it;
    for (; it != filter_order_.end(); ++it)
        if (!filters_[*it]->retired && tag_matches(filters_state_[*it]->match, tag))
            route.filters.push_back(*it);
    for (size_t o = 0; o < outputs_.size(); ++o)
        if (!outputs_[o]->retired && tag_matches(outputs_state_[o]->match, tag))
            route.outputs.push_back(o);
    return route;
}

void Pipeline::set_feeds(Route &route) const {
    if (route.filters.empty()) {
        route.feeds = route.outputs;
        return;
    }
    route.feeds.clear(); // a filter may retag records to any output
    for (size_t o = 0; o < outputs_.size(); ++o)
        if (!outputs_[o]->retired) route.feeds.push_back(o);
}

} // namespace mafio
