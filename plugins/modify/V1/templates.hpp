// String values of modify:V1's add and set with placeholders:
//   ${hostname}     the machine's host name            (fixed at start)
//   ${agent.id}     the agent's -agent-id              (fixed at start)
//   ${agent.group}  the agent's -agent-group           (fixed at start)
//   ${component}    this filter's component id         (fixed at start)
//   ${env:NAME}     the environment variable NAME      (fixed at start; unset is an error)
//   ${tag}          the tag of the batch being processed (per batch)
//   $${             a literal "${"
// The config loader leaves these as written (host/src/config/env_substitution.hpp). Everything
// fixed is filled once at start; only ${tag} is left, so a value costs per batch at most one
// concatenation, and nothing per record.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace modify_v1 {

// What the fixed placeholders stand for (env: is looked up by the parser itself).
struct TemplateContext {
    std::string hostname, agent_id, agent_group, component;
};

class Template {
public:
    // Throws std::invalid_argument naming the placeholder and what is accepted.
    Template(std::string_view text, const TemplateContext &context);

    bool uses_tag() const { return parts_.size() > 1; }
    // The value for a batch of `tag`. Without ${tag} it is always the same string.
    std::string expand(std::string_view tag) const;

private:
    std::vector<std::string> parts_; // literal text; ${tag} goes between consecutive parts
};

} // namespace modify_v1
