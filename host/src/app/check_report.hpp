// What `-check` prints: the graph as the agent would run it (component ids, derived or not,
// tags, what each input is routed through and to) and warnings for inputs no output takes.
#pragma once

#include "config/agent_config.hpp"
#include "pipeline/pipeline.hpp"

#include <string>

namespace mafio {

std::string check_report(const AgentConfig &cfg, Pipeline &pipeline);

// -check -diff: what a reload of `next` would change in the agent that runs with the same data
// directory (its <data_dir>/running-config.json), and whether it would apply. Sets `applies`.
std::string diff_report(const AgentConfig &next, bool &applies);

// Logs a warning for every input whose tag no output matches (its records are acknowledged
// and counted as unrouted, not delivered). Returns how many there are.
size_t warn_unrouted_inputs(Pipeline &pipeline);

} // namespace mafio
