#include "config/env_substitution.hpp"

#include "util/quoted.hpp"

#include <cstdlib>

namespace mafio {

namespace {

bool is_name_start(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

bool is_name_char(char c) {
    return is_name_start(c) || (c >= '0' && c <= '9');
}

const char *const accepted_forms = "${NAME}, ${NAME:-default}, or $${ for a literal ${";

// Placeholders filled per record by plugins (modify:V1's templates), not by the config loader.
bool is_record_placeholder(std::string_view inner) {
    return inner == "hostname" || inner == "tag" || inner == "component" || inner == "agent.id" ||
           inner == "agent.group" || inner.substr(0, 4) == "env:";
}

} // namespace

std::optional<std::string> process_env(const std::string &name) {
    const char *v = std::getenv(name.c_str());
    if (!v) return std::nullopt;
    return std::string(v);
}

bool has_substitution(std::string_view value) {
    return value.find("${") != std::string_view::npos;
}

Substituted substitute_env(std::string_view in, const EnvLookup &lookup) {
    Substituted out;
    auto fail = [&](size_t at, std::string message) {
        out.error = SubstitutionError{at, std::move(message)};
        return out;
    };
    size_t i = 0;
    while (i < in.size()) {
        size_t dollar = in.find('$', i);
        if (dollar == std::string_view::npos) {
            out.text.append(in.substr(i));
            break;
        }
        out.text.append(in.substr(i, dollar - i));
        std::string_view rest = in.substr(dollar);
        if (rest.substr(0, 3) == "$${") { // the escape
            // Of a per-record placeholder it stays as written: the plugin unescapes it.
            const size_t close = rest.find('}');
            if (close != std::string_view::npos &&
                is_record_placeholder(rest.substr(3, close - 3))) {
                out.text.append(rest.substr(0, close + 1));
                i = dollar + close + 1;
                continue;
            }
            out.text.append("${");
            i = dollar + 3;
            continue;
        }
        if (rest.substr(0, 2) != "${") { // a '$' on its own
            out.text.push_back('$');
            i = dollar + 1;
            continue;
        }
        size_t close = rest.find('}');
        if (close == std::string_view::npos)
            return fail(dollar,
                        "unterminated " + quoted(rest) + ": no '}'; expected " + accepted_forms);
        std::string_view inner = rest.substr(2, close - 2);
        if (is_record_placeholder(inner)) { // kept as written, for the plugin
            out.text.append(rest.substr(0, close + 1));
            i = dollar + close + 1;
            continue;
        }
        size_t name_end = 0;
        while (name_end < inner.size() && is_name_char(inner[name_end]))
            ++name_end;
        std::string name(inner.substr(0, name_end));
        std::string_view after = inner.substr(name_end);
        bool has_default = after.substr(0, 2) == ":-";
        if (name.empty() || !is_name_start(name.front()) || (!after.empty() && !has_default))
            return fail(dollar, "bad substitution " + quoted(rest.substr(0, close + 1)) +
                                    ": expected " + accepted_forms +
                                    " (NAME: a letter or '_', then letters, digits or '_')");
        std::optional<std::string> value = lookup(name);
        if (has_default) {
            if (!value || value->empty()) value = std::string(after.substr(2));
        } else if (!value) {
            return fail(dollar, "environment variable " + name +
                                    " is not set; set it, give a default as ${" + name +
                                    ":-value}, or write $${ for a literal ${");
        }
        out.text.append(*value);
        i = dollar + close + 1;
    }
    return out;
}

} // namespace mafio
