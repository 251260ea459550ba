// The front door of the monitoring API, one thread ("http:accept"). It accepts connections and
// holds each one, without a thread, until its whole request has arrived (peeking, not reading,
// so Poco's HTTPServerConnection later reads it as usual). Only complete requests reach the
// worker pool, so slow or half-open clients (slowloris) cost a slot in a poll set, not a
// worker. Requests over a limit are answered here (414/431/413/411/400/408/503, JSON bodies) and
// their connections drained briefly before closing, so the client reads the answer instead of
// a reset.
#pragma once

#include "http/http_limits.hpp"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace mafio {

struct ReceptionCounters {
    std::atomic<uint64_t> accepted{0};
    std::atomic<uint64_t> dispatched{0};
    std::atomic<uint64_t> refused{0}; // answered here with an error status
    std::atomic<uint64_t> dropped{0}; // closed without an answer (idle, or evicted when full)
};

class Reception {
public:
    // Hands a complete request's connection to a worker; false when none can take it.
    using Dispatch = std::function<bool(const Poco::Net::StreamSocket &)>;

    Reception(HttpLimits limits, Dispatch dispatch);
    ~Reception(); // stop()s
    Reception(const Reception &) = delete;
    Reception &operator=(const Reception &) = delete;

    void start(Poco::Net::ServerSocket listening);
    void stop(); // closes every connection still waiting

    const ReceptionCounters &counters() const { return counters_; }

private:
    using Clock = std::chrono::steady_clock;
    struct Waiting {
        int fd;
        Clock::time_point deadline;
        size_t seen = 0; // bytes that were there at the last look
        bool sent_continue = false;
    };
    struct Closing {
        int fd;
        Clock::time_point deadline;
    };

    void loop();
    void accept_all();
    // Looks at what a waiting connection sent. True when it is done with (dispatched or
    // refused), so it leaves the waiting list.
    bool examine(Waiting &w);
    void refuse(int fd, int status, const std::string &message);
    void drain(Closing &c, bool &done);

    HttpLimits limits_;
    Dispatch dispatch_;
    Poco::Net::ServerSocket listening_;
    int wake_fd_ = -1;
    std::vector<Waiting> waiting_;
    std::vector<Closing> closing_;
    Clock::time_point accept_paused_until_{}; // accept() ran out of descriptors: wait till then
    uint64_t accept_failures_ = 0;
    std::string peek_buffer_;
    ReceptionCounters counters_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

} // namespace mafio
