#include "templates.hpp"

#include <cstdlib>
#include <stdexcept>

namespace modify_v1 {

namespace {

const char *const kAccepted = "${hostname}, ${agent.id}, ${agent.group}, ${component}, "
                              "${env:NAME}, ${tag}, or $${ for a literal ${";

} // namespace

Template::Template(std::string_view text, const TemplateContext &context) {
    parts_.emplace_back();
    size_t i = 0;
    while (i < text.size()) {
        const size_t dollar = text.find('$', i);
        if (dollar == std::string_view::npos) {
            parts_.back().append(text.substr(i));
            break;
        }
        parts_.back().append(text.substr(i, dollar - i));
        const std::string_view rest = text.substr(dollar);
        if (rest.substr(0, 3) == "$${") {
            parts_.back().append("${");
            i = dollar + 3;
            continue;
        }
        if (rest.substr(0, 2) != "${") {
            parts_.back().push_back('$');
            i = dollar + 1;
            continue;
        }
        const size_t close = rest.find('}');
        if (close == std::string_view::npos)
            throw std::invalid_argument("unterminated \"" + std::string(rest) + "\": expected " +
                                        kAccepted);
        const std::string_view name = rest.substr(2, close - 2);
        if (name == "tag") {
            parts_.emplace_back();
        } else if (name == "hostname") {
            parts_.back().append(context.hostname);
        } else if (name == "agent.id") {
            parts_.back().append(context.agent_id);
        } else if (name == "agent.group") {
            parts_.back().append(context.agent_group);
        } else if (name == "component") {
            parts_.back().append(context.component);
        } else if (name.substr(0, 4) == "env:" && name.size() > 4) {
            const std::string var(name.substr(4));
            const char *value = std::getenv(var.c_str());
            if (!value)
                throw std::invalid_argument("${env:" + var + "}: the environment variable " + var +
                                            " is not set");
            parts_.back().append(value);
        } else {
            throw std::invalid_argument("unknown placeholder \"${" + std::string(name) +
                                        "}\": expected " + kAccepted);
        }
        i = dollar + close + 1;
    }
}

std::string Template::expand(std::string_view tag) const {
    std::string out = parts_.front();
    for (size_t k = 1; k < parts_.size(); ++k) {
        out.append(tag);
        out.append(parts_[k]);
    }
    return out;
}

} // namespace modify_v1
