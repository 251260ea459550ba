// Reading the -config file whole, with errors that name the path and the system's reason.
#pragma once

#include <string>

namespace mafio {

// A configuration is small; anything larger than this is a wrong path (a log).
inline constexpr size_t max_config_file_bytes = 16 * 1024 * 1024;

// Throws ConfigError "cannot read config file PATH: <strerror>", a too-large message, or one
// naming what PATH is when it is not a regular file (a FIFO, socket or device is refused
// without waiting for a writer).
std::string read_config_file(const std::string &path);

} // namespace mafio
