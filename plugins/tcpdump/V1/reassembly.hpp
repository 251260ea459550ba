// One direction of a TCP connection put back in order. Segments arrive reordered, duplicated,
// overlapping, cut short by the snaplen or lost; the sink receives the stream's bytes exactly
// once and in order, with a gap (a byte count) where bytes never arrived. Sequence numbers are
// mapped onto a 64-bit stream offset relative to the next expected byte, so the 2^32 wrap needs
// no special case. Memory is bounded: at most `max_buffered` bytes wait out of order; beyond that
// the missing bytes are declared a gap (the peer's window makes a real hole that large unlikely).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace tcpdump_v1 {

class StreamSink {
public:
    virtual ~StreamSink() = default;
    virtual void on_data(const uint8_t *data, size_t len, int64_t ts_ns) = 0;
    // `len` bytes of the stream are missing (lost, or beyond the snaplen).
    virtual void on_gap(uint64_t len, int64_t ts_ns) = 0;
};

struct ReassemblyCounters {
    uint64_t duplicate_bytes = 0;       // retransmitted or overlapping bytes dropped
    uint64_t out_of_order_segments = 0; // segments that had to wait for earlier ones
    uint64_t gap_bytes = 0;             // bytes never seen, reported as gaps
};

class Reassembler {
public:
    explicit Reassembler(size_t max_buffered) : max_buffered_(max_buffered) {}

    // A SYN: the stream starts at isn + 1. Without one (capture started mid-connection) it
    // starts at the first segment seen.
    void syn(uint32_t isn);
    // `length` payload bytes start at `seq`; the first `captured` are in `data`. A FIN marks the
    // end of the stream after them.
    void segment(uint32_t seq, const uint8_t *data, uint32_t captured, uint32_t length, bool fin,
                 int64_t ts_ns, StreamSink &sink, ReassemblyCounters &c);
    // The connection ends: whatever waits is delivered, holes as gaps.
    void flush(int64_t ts_ns, StreamSink &sink, ReassemblyCounters &c);

    // The FIN was reached: every byte before it was delivered (or declared a gap).
    bool finished() const { return fin_ && next_ >= *fin_; }
    size_t buffered() const { return buffered_; }

private:
    struct Chunk {
        std::string bytes;
        uint64_t missing_tail = 0; // bytes past the snaplen
        uint64_t size() const { return bytes.size() + missing_tail; }
    };
    void deliver(uint64_t start, const uint8_t *data, uint64_t have, uint64_t total, int64_t ts_ns,
                 StreamSink &sink, ReassemblyCounters &c);
    void drain(int64_t ts_ns, StreamSink &sink, ReassemblyCounters &c);
    void skip_to_first(int64_t ts_ns, StreamSink &sink, ReassemblyCounters &c);

    size_t max_buffered_;
    bool started_ = false;
    uint32_t next_seq_ = 0;             // the sequence number of stream offset next_
    uint64_t next_ = 0;                 // stream offset of the next byte the sink expects
    std::map<uint64_t, Chunk> waiting_; // by stream offset
    size_t buffered_ = 0;
    std::optional<uint64_t> fin_;
};

} // namespace tcpdump_v1
