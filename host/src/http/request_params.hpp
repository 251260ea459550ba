// The parameters of a request: its query string and, for a form-encoded body, the body. A name
// given twice is refused rather than one of the values picked silently (first-wins let
// "?cmd=heap&cmd=gc" mean one thing to the agent and another to a proxy or a log reader).
#pragma once

#include <map>
#include <optional>
#include <string>

namespace mafio {

// Decodes "name=value&..." (percent-encoding, '+' as space) into `params`. Returns the first
// name that is already in `params` or appears twice, and then leaves `params` unchanged.
// Throws Poco::SyntaxException on a malformed percent-encoding.
std::optional<std::string> add_parameters(const std::string &encoded,
                                          std::map<std::string, std::string> &params);

} // namespace mafio
