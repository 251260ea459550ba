#include "metrics/prometheus_text.hpp"

#include <fmt/format.h>

#include <cmath>

namespace mafio {

namespace {

std::string escaped(std::string_view s, bool quotes) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else if (c == '"' && quotes)
            out += "\\\"";
        else
            out += c;
    }
    return out;
}

std::string value_text(const MetricValue &v) {
    if (v.is_integer) return std::to_string(v.integer);
    if (std::isnan(v.real)) return "NaN";
    if (std::isinf(v.real)) return v.real > 0 ? "+Inf" : "-Inf";
    return fmt::format("{}", v.real); // shortest text that reads back as the same double
}

} // namespace

std::string prometheus_label_value(std::string_view value) {
    return escaped(value, true);
}
std::string prometheus_help(std::string_view help) {
    return escaped(help, false);
}

std::string prometheus_text(const std::vector<MetricFamily> &families) {
    std::string out;
    for (const auto &f : families) {
        if (f.series.empty()) continue;
        out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", f.name, prometheus_help(f.help), f.name,
                           f.type == MetricFamily::Type::counter ? "counter" : "gauge");
        for (const auto &s : f.series) {
            out += f.name;
            if (!s.labels.empty()) {
                out += '{';
                for (size_t i = 0; i < s.labels.size(); ++i)
                    out += fmt::format("{}{}=\"{}\"", i ? "," : "", s.labels[i].first,
                                       prometheus_label_value(s.labels[i].second));
                out += '}';
            }
            out += ' ';
            out += value_text(s.value);
            out += '\n';
        }
    }
    return out;
}

} // namespace mafio
