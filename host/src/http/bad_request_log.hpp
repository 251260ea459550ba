// The agent-log line for a request that a worker could not read (a malformed percent-encoding,
// say). The client's bytes are shown through quoted() (control characters replaced, long values
// cut), so they cannot forge lines or send escape sequences to a terminal, and at most one line
// per interval is written, with the count of those left out since, so a client sending garbage
// in a loop cannot flood the log. Shared by the worker threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

namespace mafio {

class BadRequestLog {
public:
    using Clock = std::chrono::steady_clock;

    explicit BadRequestLog(std::chrono::seconds interval = std::chrono::seconds(10))
        : interval_(interval) {}

    // Logs a warning unless one was logged less than an interval before `now`; true if it did.
    bool note(std::string_view method, std::string_view target, std::string_view why,
              Clock::time_point now = Clock::now());

    // The line itself, e.g. HTTP API: cannot read "GET" "/%zz": Bad URI syntax (3 more since).
    static std::string line(std::string_view method, std::string_view target, std::string_view why,
                            uint64_t left_out);

private:
    std::chrono::seconds interval_;
    std::mutex mutex_;
    bool logged_ = false;
    Clock::time_point last_{};
    uint64_t left_out_ = 0;
};

} // namespace mafio
