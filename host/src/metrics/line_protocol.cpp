#include "metrics/line_protocol.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace mafio {

namespace {

std::string escaped(std::string_view s, std::string_view specials) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
        if (specials.find(c) != std::string_view::npos) out += '\\';
        out += c;
    }
    return out;
}

} // namespace

std::string influx_measurement(std::string_view name) {
    return escaped(name, ", ");
}
std::string influx_tag(std::string_view text) {
    return escaped(text, ",= ");
}

std::vector<std::string> line_protocol(const std::vector<MetricFamily> &families,
                                       const MetricLabels &extra_tags, int64_t timestamp_ns) {
    std::vector<std::string> lines;
    for (const auto &f : families) {
        std::string measurement = influx_measurement(f.name);
        for (const auto &s : f.series) {
            std::string field;
            if (s.value.is_integer)
                field = std::to_string(s.value.integer) + "i";
            else if (std::isfinite(s.value.real))
                field = fmt::format("{}", s.value.real);
            else
                continue;
            MetricLabels tags = extra_tags;
            tags.insert(tags.end(), s.labels.begin(), s.labels.end());
            std::stable_sort(tags.begin(), tags.end(),
                             [](const auto &a, const auto &b) { return a.first < b.first; });
            std::string line = measurement;
            for (const auto &[key, value] : tags) {
                if (value.empty()) continue;
                line += ',';
                line += influx_tag(key);
                line += '=';
                line += influx_tag(value);
            }
            line += " value=";
            line += field;
            line += ' ';
            line += std::to_string(timestamp_ns);
            lines.push_back(std::move(line));
        }
    }
    return lines;
}

} // namespace mafio
