// The agent process as Linux reports it under /proc/self: CPU, memory, descriptors, threads.
// Every reader returns zeros for what it cannot read instead of failing: monitoring must never
// take the agent down.
#pragma once

#include "metrics/agent_snapshot.hpp"

#include <string>
#include <vector>

namespace mafio {

ProcessSnapshot read_process_snapshot();

// One thread of this process, from /proc/self/task/<tid>/{comm,stat}.
struct ThreadSample {
    int tid = 0;
    std::string name; // what pthread_setname_np set, at most 15 bytes
    char state = '?'; // R running, S sleeping, D disk wait, ...
    double cpu_seconds = 0;
};

std::vector<ThreadSample> list_threads();

// Bytes, from /proc/self/status: VmRSS and VmHWM (peak).
uint64_t resident_bytes();

} // namespace mafio
