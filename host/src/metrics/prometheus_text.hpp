// Prometheus text exposition format 0.0.4: "# HELP", "# TYPE", then one line per series.
#pragma once

#include "metrics/metric_family.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace mafio {

inline constexpr const char *prometheus_content_type = "text/plain; version=0.0.4; charset=utf-8";

// Families without series are left out.
std::string prometheus_text(const std::vector<MetricFamily> &families);

// Label values escape backslash, double quote and newline; HELP text backslash and newline.
std::string prometheus_label_value(std::string_view value);
std::string prometheus_help(std::string_view help);

} // namespace mafio
