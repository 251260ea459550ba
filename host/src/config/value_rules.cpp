#include "config/value_rules.hpp"

#include "plugin/plugin_ref.hpp"

#include <algorithm>
#include <cctype>

namespace mafio {

namespace {

bool all_of(std::string_view s, bool (*ok)(char)) {
    return std::all_of(s.begin(), s.end(), ok);
}

bool agent_word_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
}

constexpr size_t max_agent_word = 128;

} // namespace

std::optional<std::string> check_agent_word(std::string_view value) {
    if (!value.empty() && value.size() <= max_agent_word && value != "." && value != ".." &&
        all_of(value, agent_word_char))
        return std::nullopt;
    return "expected 1 to " + std::to_string(max_agent_word) +
           " letters, digits, '.', '_' or '-' (not \".\" or \"..\"), got " + quoted(value);
}

std::optional<std::string> check_log_level(std::string_view value) {
    for (const char *level : {"debug", "info", "warn", "error"})
        if (value == level) return std::nullopt;
    return "expected debug, info, warn or error, got " + quoted(value);
}

std::optional<std::string> check_plugin_name(std::string_view value) {
    // The loader's own rules, so the configuration accepts exactly what the loader would.
    size_t colon = value.find(':');
    bool ok = valid_plugin_name(value.substr(0, colon)) &&
              (colon == std::string_view::npos || valid_plugin_tag(value.substr(colon + 1)));
    if (ok) return std::nullopt;
    return "expected a plugin as name or name:tag (name: a-z, 0-9, _; tag: A-Z, a-z, 0-9, _, .; "
           "e.g. filereader:V1), got " +
           quoted(value);
}

std::optional<std::string> check_record_count(uint64_t value, RecordCountRange range) {
    if (value >= range.min && value <= range.max) return std::nullopt;
    return "expected a whole number from " + std::to_string(range.min) + " to " +
           std::to_string(range.max) + ", got " + std::to_string(value);
}

} // namespace mafio
