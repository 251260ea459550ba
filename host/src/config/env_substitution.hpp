// ${NAME} and ${NAME:-default} in configuration string values, so one file serves several hosts
// (a path under $LOG_DIR, an agent id from $HOSTNAME) without a templating step.
//
//   ${NAME}            the variable's value; an unset variable is an error (a typo in a name
//                      must not turn a path into "" silently); set but empty gives ""
//   ${NAME:-default}   the value, or `default` when NAME is unset or empty (as in the shell);
//                      the default is taken literally up to the first '}'
//   $${                a literal "${" (any other '$' is itself: "a$b", "50$" need no escape)
//
//   ${hostname} ${tag} ${component} ${agent.id} ${agent.group} ${env:NAME}
//                      kept as written: plugins fill them per record (modify:V1); so is
//                      their escape $${tag}, which the plugin turns into a literal ${tag}
//
// NAME is a letter or '_' followed by letters, digits or '_'. Substituted text is not scanned
// again, so a value holding "${" stays as it is.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace mafio {

// The value of an environment variable, or nullopt when it is not set.
using EnvLookup = std::function<std::optional<std::string>(const std::string &name)>;

// getenv(3).
std::optional<std::string> process_env(const std::string &name);

struct SubstitutionError {
    size_t offset;       // of the "${" that failed, in the input
    std::string message; // what is wrong and what would be accepted
};

struct Substituted {
    std::string text; // meaningful when !error
    std::optional<SubstitutionError> error;
};

// Quick test: does `value` need substitute_env at all (does it contain "${")?
bool has_substitution(std::string_view value);

Substituted substitute_env(std::string_view value, const EnvLookup &lookup);

} // namespace mafio
