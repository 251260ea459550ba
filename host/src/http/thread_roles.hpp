// Joins the threads /proc lists with what the pipeline knows about them: which role, which
// plugin instance, how many records it handled and the depth of the queue it feeds or drains.
// Pipeline threads are recognised by the thread id each records when it starts; the others by
// the name they gave themselves.
#pragma once

#include "metrics/agent_snapshot.hpp"
#include "metrics/process_stats.hpp"

#include <string>
#include <vector>

namespace mafio {

struct ThreadRole {
    int tid = 0;
    std::string name;
    char state = '?';
    double cpu_seconds = 0;
    std::string role;      // main, input, output, http, influx, signals, checkpoint, other
    std::string component; // the input's or output's id
    std::string plugin;    // name:tag
    std::string instance;  // inputs[0], ...
    bool has_records = false;
    uint64_t records =
        0;             // inputs: emitted (their filters run on the same thread); outputs: delivered
    std::string queue; // an output's queue: "write:<id>"
    uint64_t queue_records = 0;
};

std::vector<ThreadRole> thread_roles(const std::vector<ThreadSample> &threads,
                                     const AgentSnapshot &snap);

} // namespace mafio
