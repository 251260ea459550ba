// Fuzzes mafio::apply_config_json: any text must either apply or throw mafio::ConfigError whose
// message names the source; any other exception, crash or sanitizer report is a bug.
#include "config/load_config.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    mafio::AgentConfig cfg;
    try {
        mafio::apply_config_json(cfg, text, "fuzz.json");
        // Applying the same document again on top must behave the same way.
        mafio::apply_config_json(cfg, text, "fuzz.json");
    } catch (const mafio::ConfigError &e) {
        if (std::string_view(e.what()).rfind("fuzz.json", 0) != 0) std::abort();
    }
    return 0;
}
