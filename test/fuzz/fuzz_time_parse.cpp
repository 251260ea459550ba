// Fuzzes TimeParser (plugins/common/time_parse.hpp): the first bytes up to a NUL are the
// format, the rest the text; any format and text must be refused or read, never crash or
// overflow (UBSan watches the arithmetic).
#include "time_parse.hpp"

#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const std::string_view all(reinterpret_cast<const char *>(data), size);
    const size_t nul = all.find('\0');
    if (nul == std::string_view::npos) return 0;
    const std::string format(all.substr(0, nul));
    if (mafio_plugins::TimeParser::unknown_directive(format)) return 0;
    const std::string text(all.substr(nul + 1));
    (void)mafio_plugins::TimeParser(format).parse(text, 2024);
    return 0;
}
