// The -version text: "mafio VERSION", then the original agent's banner, the version again as
// the original showed it, the plugin ABI and the build.
#pragma once

#include <string>

namespace mafio {
std::string version_text();
// -version -q: "VERSION\n" alone.
std::string version_number();
} // namespace mafio
