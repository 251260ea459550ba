// Datagrams the kernel dropped because a UDP socket's receive queue was full (the pipeline,
// and so this input, did not read fast enough). With SO_RXQ_OVFL set, each datagram received
// carries the socket's running drop count (when it is not 0); the growth of that count is what
// was lost. It is exported in the counter dropped_receive_queue (the host also reports it as
// mafio_records_dropped_by_reason_total{reason="receive_queue"}), and warn_receive_queue_drops
// is 1 while a streak lasts (GET /health lists it). One log line when a streak starts and one
// when it ends, never one per drop. A streak ends with the first datagram without new drops
// received kQuietNs after the last drop: right after a drop the queue still holds datagrams
// enqueued before it, so "no new drops" alone would end and restart a streak at every burst.
#pragma once

#include <mafio/plugin.hpp>

#include <cstdint>
#include <string>

namespace syslog_v1 {

class UdpDrops {
public:
    explicit UdpDrops(const mafio::Host &h)
        : host_(h),
          dropped_(h.counter("dropped_receive_queue",
                             "datagrams the kernel dropped: a UDP socket's receive queue was full "
                             "(the pipeline was slower than the senders)")),
          warn_(h.gauge("warn_receive_queue_drops",
                        "1 while the kernel drops datagrams because a UDP receive queue is "
                        "full")) {}

    // The drop count a datagram of socket `address` carried (0 when it carried none).
    // `now`: CLOCK_MONOTONIC ns.
    void observe(const std::string &address, uint32_t &last, uint32_t count, int64_t now) {
        // Counts along the queue only grow (modulo 2^32); a datagram without the ancillary
        // data (count 0) arrived before any drop.
        const uint32_t lost = count - last;
        if (count != 0 && lost != 0 && lost < 0x80000000u) {
            last = count;
            host_.add(dropped_, lost);
            streak_ += lost;
            last_drop_ = now;
            if (!in_streak_) {
                in_streak_ = true;
                host_.set(warn_, 1);
                host_.warn("listen \"" + address + "\": the kernel dropped " +
                           std::to_string(lost) +
                           " datagram(s): the socket's receive queue was full (the pipeline is "
                           "slower than the senders; consider receive_buffer). Counted in "
                           "dropped_receive_queue; one line when this ends");
            }
        } else if (in_streak_ && now - last_drop_ >= kQuietNs) {
            in_streak_ = false;
            host_.set(warn_, 0);
            host_.info("listen \"" + address + "\": datagrams no longer dropped; " +
                       std::to_string(streak_) + " were lost in that streak");
            streak_ = 0;
        }
    }

private:
    static constexpr int64_t kQuietNs = 2'000'000'000;

    mafio::Host host_;
    int64_t last_drop_ = 0;
    mafio_metric_id dropped_, warn_;
    bool in_streak_ = false;
    uint64_t streak_ = 0;
};

} // namespace syslog_v1
