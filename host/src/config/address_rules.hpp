// Syntax checks of the network addresses in the configuration. Syntax only: nothing is resolved
// or connected here. Same contract as value_rules.hpp: nullopt or "expected ..., got ...".
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mafio {

// The HTTP API's listen address: host:port (an empty host listens on every interface, as Go's
// ":10630"), or "off" / "" to disable the API.
std::optional<std::string> check_listen_address(std::string_view value);

// etcd: host:port.
std::optional<std::string> check_endpoint(std::string_view value);
// etcd key prefix: "/mafio".
std::optional<std::string> check_etcd_prefix(std::string_view value);

// InfluxDB: "" (disabled), host:port, or http(s)://host:port with an optional path.
std::optional<std::string> check_influxdb_addr(std::string_view value);

} // namespace mafio
