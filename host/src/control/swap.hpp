// Live swap of one component's plugin (POST /components/<id>/plugin, and later reload): find and
// verify the new plugin, create it with the component's options, and hand it to the pipeline,
// which quiesces the old instance and starts the new one on the same slot. Inputs, filters and
// outputs.
#pragma once

#include "pipeline/pipeline.hpp"
#include "plugin/registry.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace mafio {

struct SwapRequest {
    std::string id;     // the component
    std::string plugin; // name:tag (or name: the highest tag)
    bool reset_position = false;
    // The options to create the new instance with; the running instance's when unset (a swap
    // of the plugin alone). A reload sets them from the new configuration.
    std::optional<std::string> options_json;
    std::chrono::milliseconds timeout{30000}; // for the old instance's batches to be acknowledged
};

struct SwapResult {
    int status = 200; // 200 done (or nothing to do), 400 bad request, 404 no such component,
                      // 409 refused (options, format, timeout)
    std::string message;
};

SwapResult swap_component(Pipeline &pipeline, const Registry &registry, const SwapRequest &request);

} // namespace mafio
