// The configuration as a graph: every input, filter and output is a component with a stable id;
// inputs tag their batches, filters and outputs match tags. This file gives each component its
// id (explicit or derived), checks ids and globs, and answers "does this glob list match that
// tag" for the runtime, which computes every route once at start.
//
// The derived-id rule (docs/architecture.md, README "Component ids"): the plugin name without
// its tag, then "-" and what the component reads or writes (the first of the option keys in
// destination_keys() that is set), made id-safe. So an id does not change when components are
// added or reordered, when the tag changes (V2 -> V1) or when tuning options change. Two
// components that would get the same id get "-2", "-3" in config order: give them explicit ids
// before reordering them.
#pragma once

#include "config/agent_config.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mafio {

// "[a-z0-9_-]+", at most 64 bytes; nullopt when fine, else what is wrong and what is accepted.
std::optional<std::string> check_component_id(std::string_view id);

// The option keys that name what a component reads or writes, in the order they are tried.
const std::vector<std::string> &destination_keys();

// The id a component gets when the configuration gives none (before de-duplication).
std::string derive_component_id(const PluginSpec &spec);

// Fills every empty id, de-duplicates derived ones, and refuses duplicate explicit ids, invalid
// ids, tags and match globs. Throws ConfigError naming the JSON path.
void assign_component_ids(AgentConfig &cfg);

// A glob (fnmatch(3): *, ?, [...]) list against a tag. An empty list matches everything.
bool tag_matches(const std::vector<std::string> &globs, const std::string &tag);

// The tag an input's batches carry: its configured tag, or its id.
inline const std::string &input_tag(const PluginSpec &input) {
    return input.tag.empty() ? input.id : input.tag;
}

} // namespace mafio
