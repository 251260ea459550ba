// mafio.hold.v1 (plugin-sdk/include/mafio/ext/hold.h): filters that keep records past
// process() and release them later. The bookkeeping is per filter and per (input, stream), in
// FilterState::holding, always under the filter's `calls`; a held batch is acknowledged when
// the batch that carried its records out is delivered (held_batch.hpp, Pipeline::finished).
#include "pipeline/pipeline.hpp"

#include "pipeline/wakeup.hpp"
#include "util/log.hpp"

#include <algorithm>

namespace mafio {

namespace {

using HoldingKey = std::pair<size_t, uint32_t>; // input index, stream

} // namespace

void Pipeline::hold(Instance &filter, Batch &b) {
    FilterState &fs = *filters_state_[filter.index()];
    auto &holding = fs.holding[HoldingKey{b.input, b.view.stream}];
    if (!b.held) b.held = std::make_shared<HeldBatch>();
    if (!holding.batches.empty() && holding.batches.back() == b.held) return; // said twice
    b.held->waiting.fetch_add(1, std::memory_order_relaxed);
    holding.batches.push_back(b.held);
}

void Pipeline::release(Instance &filter, Batch &b) {
    FilterState &fs = *filters_state_[filter.index()];
    auto it = fs.holding.find(HoldingKey{b.input, b.view.stream});
    if (it == fs.holding.end()) return;
    for (auto &held : it->second.batches)
        b.carries.push_back(std::move(held));
    it->second.batches.clear();
    if (it->second.call_at_ns == 0) fs.holding.erase(it);
}

void Pipeline::process_at(Instance &filter, const Batch &b, int64_t monotonic_ns) {
    FilterState &fs = *filters_state_[filter.index()];
    const int64_t at = std::max<int64_t>(monotonic_ns, 1);
    fs.holding[HoldingKey{b.input, b.view.stream}].call_at_ns = at;
    InputState &in = *inputs_state_[b.input];
    const int64_t current = in.held_call_at.load(std::memory_order_relaxed);
    if (current == 0 || at < current) {
        in.held_call_at.store(at, std::memory_order_relaxed);
        inputs_[b.input]->wakeup.host_wake_at(at);
    }
}

BatchPtr Pipeline::take_held(size_t f, size_t input, uint32_t stream, bool ending) {
    InputState &in = *inputs_state_[input];
    FilterState &fs = *filters_state_[f];
    BatchPtr b(batch_new(0, 0));
    b->input = static_cast<uint32_t>(input);
    b->view.stream = stream;
    b->ending = ending;
    b->tag = in.batch_tag.load(std::memory_order_relaxed);
    b->seq = in.tracker.begin();
    if (auto it = fs.holding.find(HoldingKey{input, stream}); it != fs.holding.end())
        it->second.call_at_ns = 0; // this is that call; the filter may ask again
    Instance &filter = *filters_[f];
    const mafio_status st = filter.process(&b->view);
    if (st != MAFIO_OK) {
        fs.errors.error(filter.label(), filter.take_error(st) + " (releasing held records)");
        filter.stats.errors++;
    }
    b->view.count = std::min(b->view.count, b->view.records_capacity);
    if (!fs.retagged.empty()) { // what it retagged while releasing goes its own way now
        std::vector<Retagged> retagged;
        collect_retagged(fs, f, *b, retagged);
        dispatch_retagged(input, stream, retagged);
    }
    filter.stats.batches.fetch_add(1, std::memory_order_relaxed);
    filter.stats.records_out.fetch_add(b->view.count, std::memory_order_relaxed);
    if (auto it = fs.holding.find(HoldingKey{input, stream});
        it != fs.holding.end() && it->second.batches.empty() && it->second.call_at_ns == 0)
        fs.holding.erase(it);
    if (ending && fs.holding.count(HoldingKey{input, stream}) &&
        !fs.holding[HoldingKey{input, stream}].batches.empty())
        log::warn("{}: still holds records of input {} after the last call for them; they will "
                  "be read again at the next start",
                  filter.label(), inputs_[input]->id());
    return b;
}

void Pipeline::release_held_of_input(size_t input, bool ending) {
    InputState &in = *inputs_state_[input];
    const int64_t due = in.held_call_at.load(std::memory_order_relaxed);
    if (!ending && (due == 0 || Wakeup::now_ns() < due)) return;
    const int64_t now = Wakeup::now_ns();
    int64_t next = 0;
    const std::vector<size_t> route_filters = in.route.filters;
    for (size_t pos = 0; pos < route_filters.size(); ++pos) {
        const size_t f = route_filters[pos];
        FilterState &fs = *filters_state_[f];
        wait_while_paused(fs.control);
        std::vector<BatchPtr> released;
        {
            std::lock_guard calls(fs.calls);
            if (fs.stopped.load(std::memory_order_relaxed)) continue; // released when stopped
            std::vector<uint32_t> streams;
            for (const auto &[key, h] : fs.holding)
                if (key.first == input &&
                    (ending ? true : h.call_at_ns != 0 && h.call_at_ns <= now))
                    streams.push_back(key.second);
            for (uint32_t s : streams)
                released.push_back(take_held(f, input, s, ending));
            for (const auto &[key, h] : fs.holding)
                if (key.first == input && h.call_at_ns != 0 && (next == 0 || h.call_at_ns < next))
                    next = h.call_at_ns;
        }
        // On along the route without this filter's lock: pushing may wait for room.
        for (auto &b : released)
            continue_route(input, std::move(b), inputs_state_[input]->route, pos + 1);
    }
    in.held_call_at.store(next, std::memory_order_relaxed);
    inputs_[input]->wakeup.host_wake_at(next);
}

void Pipeline::release_all_held_by(size_t f) {
    FilterState &fs = *filters_state_[f];
    std::vector<HoldingKey> keys;
    for (const auto &[key, h] : fs.holding)
        keys.push_back(key);
    for (const auto &[input, stream] : keys) {
        BatchPtr b = take_held(f, input, stream, true);
        const auto &route = inputs_state_[input]->route.filters;
        const size_t pos =
            static_cast<size_t>(std::find(route.begin(), route.end(), f) - route.begin());
        continue_route(input, std::move(b), inputs_state_[input]->route, pos + 1);
    }
    fs.holding.clear();
}

} // namespace mafio
