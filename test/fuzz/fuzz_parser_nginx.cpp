// Fuzzes parser:V1's "nginx" format with the properties of parser_fuzz_check.hpp. One Parser is
// kept across inputs, as the filter keeps one across records.
#include "parser_fuzz_check.hpp"

#include <cstdint>
#include <cstdlib>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static parser_v1::Parser parser = parser_fuzz::make("nginx");
    // An exactly sized heap copy, not NUL-terminated, as a record is.
    std::vector<char> buf(data, data + size);
    if (parser_fuzz::check_parser(parser, {buf.data(), buf.size()})) std::abort();
    return 0;
}
