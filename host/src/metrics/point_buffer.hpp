// The InfluxDB lines collected but not yet accepted by the server. Bounded: when a dead or slow
// server lets it fill up, the oldest lines go first (recent figures matter most) and are counted.
// Used by the pusher thread only, so it has no lock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace mafio {

class PointBuffer {
public:
    explicit PointBuffer(size_t max_lines) : max_lines_(max_lines ? max_lines : 1) {}

    // Appends, then drops the oldest lines beyond the bound. Returns how many were dropped.
    size_t add(std::vector<std::string> lines);

    // The oldest `max` lines joined by '\n' (a /write body), and how many that is.
    std::string front_body(size_t max, size_t &count) const;
    // Removes the oldest `count` lines (after the server took them, or refused them for good).
    void consume(size_t count);

    size_t size() const { return lines_.size(); }
    bool empty() const { return lines_.empty(); }
    uint64_t dropped() const { return dropped_; }

private:
    size_t max_lines_;
    std::deque<std::string> lines_;
    uint64_t dropped_ = 0;
};

} // namespace mafio
