// Strict, bounded JSON parsing for configuration documents.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>

namespace mafio {

// Deeper nesting is refused: a configuration needs a handful of levels, and a bound keeps every
// later recursive walk (option serialisation, plugins' own readers) far from the stack's end.
inline constexpr size_t max_json_depth = 64;

// Parses `text` as one JSON value without recursion (rapidjson's iterative parser), rejecting
// nesting deeper than max_json_depth, NUL bytes and invalid UTF-8. A leading UTF-8 byte-order
// mark is skipped; comments (// and /* */) and trailing commas are accepted. ${NAME} and
// ${NAME:-default} in string values (not keys) are replaced from the environment (see
// env_substitution.hpp). Throws ConfigError "SOURCE:LINE:COL: message" (with the JSON path
// for a substitution), or "SOURCE: ..." for an empty document.
rapidjson::Document parse_json(std::string_view text, const std::string &source);

} // namespace mafio
