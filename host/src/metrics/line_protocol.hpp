// InfluxDB line protocol (1.x): "measurement,tag=v,... value=<n>[i] <ns timestamp>". Every
// metric family becomes a measurement of the same name with one field, "value", and its labels
// as tags, so a series on /metrics and a series in InfluxDB carry the same name and labels.
#pragma once

#include "metrics/metric_family.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mafio {

// One line per series (no trailing newline). `extra_tags` (agent, group) go on every line.
// Tags are sorted by key, as InfluxDB prefers; tags with an empty value are left out (InfluxDB
// refuses them); non-finite doubles are left out (InfluxDB has no NaN).
std::vector<std::string> line_protocol(const std::vector<MetricFamily> &families,
                                       const MetricLabels &extra_tags, int64_t timestamp_ns);

// Measurement names escape ',' and ' '; tag keys, tag values and field keys also '='. Control
// characters (which would end the line) become spaces first. Backslashes are kept as they are,
// which InfluxDB 1.x reads back unchanged unless one precedes a character escaped here.
std::string influx_measurement(std::string_view name);
std::string influx_tag(std::string_view text);

} // namespace mafio
