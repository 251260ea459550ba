// The -version text: the original agent's banner, the version and the plugin ABI.
#pragma once

#include <string>

namespace mafio {
std::string version_text();
} // namespace mafio
