// Copies what the pipeline counts into an AgentSnapshot: atomics and queue depths only, so it
// can run on any thread at any time without stalling a stage.
#pragma once

#include "metrics/agent_snapshot.hpp"
#include "pipeline/pipeline.hpp"

#include <string>

namespace mafio {

AgentSnapshot take_snapshot(const Pipeline &pipeline, const std::string &agent_id,
                            const std::string &agent_group);

} // namespace mafio
