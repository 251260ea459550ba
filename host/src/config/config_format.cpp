#include "config/config_format.hpp"

namespace mafio {

namespace {

bool ends_with(const std::string &s, std::string_view suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix.data(), suffix.size()) == 0;
}

// Skips whitespace, a byte-order mark and comments of either language (JSON's // and /* */,
// TOML's #) and returns the first character that is none of these, or '\0' at the end.
char first_significant(std::string_view text) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    size_t i = 0;
    while (i < text.size()) {
        char c = text[i];
        std::string_view rest = text.substr(i);
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            ++i;
        } else if (c == '#' || rest.substr(0, 2) == "//") {
            size_t eol = text.find('\n', i);
            i = eol == std::string_view::npos ? text.size() : eol + 1;
        } else if (rest.substr(0, 2) == "/*") {
            size_t end = text.find("*/", i + 2);
            i = end == std::string_view::npos ? text.size() : end + 2;
        } else {
            return c;
        }
    }
    return '\0';
}

} // namespace

ConfigFormat detect_config_format(const std::string &path, std::string_view text) {
    if (ends_with(path, ".json")) return ConfigFormat::json;
    if (ends_with(path, ".toml")) return ConfigFormat::toml;
    char c = first_significant(text);
    return c == '{' || c == '\0' ? ConfigFormat::json : ConfigFormat::toml;
}

} // namespace mafio
