// Turns the configuration into a pipeline of created plugin instances: resolve each name,
// load and check its plugin, create the instance with its options. Nothing is started, so
// -check can use it too.
#pragma once

#include "config/agent_config.hpp"
#include "pipeline/pipeline.hpp"
#include "plugin/registry.hpp"

#include <memory>

namespace mafio {

// Throws PluginError with the configuration path of the failing entry.
std::unique_ptr<Pipeline> build_pipeline(const AgentConfig &cfg, const Registry &registry);

PipelineSettings pipeline_settings(const AgentConfig &cfg);

// Finds, loads and creates (not starts) one component of `kind` as `index` of its kind on
// `pipeline`. Throws PluginError naming the spec's path.
std::unique_ptr<Instance> create_instance(const PluginSpec &spec, mafio_kind kind, uint32_t index,
                                          const Registry &registry, Pipeline &pipeline);

// Starts every instance, outputs first so that nothing is emitted before it can be delivered.
// On failure stops what was started and throws PluginError.
void start_pipeline(Pipeline &pipeline);

// Stops every instance (inputs first) after the threads ended.
void stop_pipeline(Pipeline &pipeline);

} // namespace mafio
