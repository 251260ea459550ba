#include "reassembly.hpp"

namespace tcpdump_v1 {

namespace {
// Far enough from next_ to be garbage rather than data: a segment 1 GiB away is another
// connection reusing the tuple, or a corrupt header. Dropped as a duplicate would be.
constexpr int64_t kImplausibleOffset = int64_t{1} << 30;
// Offsets start here so that a segment slightly before the first one seen still has an offset.
constexpr uint64_t kOrigin = uint64_t{1} << 32;
} // namespace

void Reassembler::syn(uint32_t isn) {
    if (started_) return;
    started_ = true;
    next_seq_ = isn + 1;
    next_ = kOrigin;
}

void Reassembler::deliver(uint64_t start, const uint8_t *data, uint64_t have, uint64_t total,
                          int64_t ts_ns, StreamSink &sink, ReassemblyCounters &c) {
    const uint64_t end = start + total;
    if (end <= next_) {
        c.duplicate_bytes += total;
        return;
    }
    const uint64_t skip = next_ - start; // start <= next_ here
    c.duplicate_bytes += skip;
    if (skip < have) sink.on_data(data + skip, have - skip, ts_ns);
    const uint64_t missing = skip < have ? total - have : total - skip;
    if (missing) {
        c.gap_bytes += missing;
        sink.on_gap(missing, ts_ns);
    }
    next_seq_ += static_cast<uint32_t>(end - next_);
    next_ = end;
}

void Reassembler::drain(int64_t ts_ns, StreamSink &sink, ReassemblyCounters &c) {
    while (!waiting_.empty() && waiting_.begin()->first <= next_) {
        auto node = waiting_.extract(waiting_.begin());
        Chunk &ch = node.mapped();
        buffered_ -= ch.bytes.size();
        deliver(node.key(), reinterpret_cast<const uint8_t *>(ch.bytes.data()), ch.bytes.size(),
                ch.size(), ts_ns, sink, c);
    }
}

void Reassembler::skip_to_first(int64_t ts_ns, StreamSink &sink, ReassemblyCounters &c) {
    if (waiting_.empty()) return;
    const uint64_t first = waiting_.begin()->first;
    if (first > next_) {
        c.gap_bytes += first - next_;
        sink.on_gap(first - next_, ts_ns);
        next_seq_ += static_cast<uint32_t>(first - next_);
        next_ = first;
    }
    drain(ts_ns, sink, c);
}

void Reassembler::segment(uint32_t seq, const uint8_t *data, uint32_t captured, uint32_t length,
                          bool fin, int64_t ts_ns, StreamSink &sink, ReassemblyCounters &c) {
    if (!started_) {
        if (length == 0 && !fin) return; // a bare ACK says nothing about where data starts
        started_ = true;
        next_seq_ = seq;
        next_ = kOrigin;
    }
    const int64_t rel = static_cast<int32_t>(seq - next_seq_);
    if (rel > kImplausibleOffset || rel < -kImplausibleOffset) {
        c.duplicate_bytes += length;
        return;
    }
    const uint64_t start = next_ + static_cast<uint64_t>(rel);
    if (fin && (!fin_ || start + length < *fin_)) fin_ = start + length;
    if (length == 0) {
        if (fin) drain(ts_ns, sink, c);
        return;
    }
    if (start <= next_) {
        deliver(start, data, captured, length, ts_ns, sink, c);
        drain(ts_ns, sink, c);
        return;
    }
    ++c.out_of_order_segments;
    // Keep it for later, the longer copy when one starts at the same offset.
    auto it = waiting_.find(start);
    if (it != waiting_.end()) {
        if (it->second.size() >= length) {
            c.duplicate_bytes += length;
            return;
        }
        buffered_ -= it->second.bytes.size();
        waiting_.erase(it);
    }
    while (buffered_ + captured > max_buffered_ && !waiting_.empty())
        skip_to_first(ts_ns, sink, c); // the hole before the oldest waiting bytes is given up
    if (start > next_ && buffered_ + captured > max_buffered_) {
        // Alone larger than the bound: the hole before it is given up, it is delivered now.
        c.gap_bytes += start - next_;
        sink.on_gap(start - next_, ts_ns);
        next_seq_ += static_cast<uint32_t>(start - next_);
        next_ = start;
        deliver(start, data, captured, length, ts_ns, sink, c);
        drain(ts_ns, sink, c);
        return;
    }
    if (start <= next_) { // skipping holes reached it
        deliver(start, data, captured, length, ts_ns, sink, c);
        drain(ts_ns, sink, c);
        return;
    }
    Chunk ch{std::string(reinterpret_cast<const char *>(data), captured), length - captured};
    buffered_ += captured;
    waiting_.emplace(start, std::move(ch));
}

void Reassembler::flush(int64_t ts_ns, StreamSink &sink, ReassemblyCounters &c) {
    while (!waiting_.empty())
        skip_to_first(ts_ns, sink, c);
}

} // namespace tcpdump_v1
