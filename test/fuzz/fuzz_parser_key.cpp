// Fuzzes parser:V1's key mode (a JSON record's "log" field parsed as logfmt and merged back).
#include "parser_fuzz_check.hpp"

#include <cstdint>
#include <cstdlib>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static parser_v1::Parser parser = parser_fuzz::make("logfmt", "log");
    std::vector<char> buf(data, data + size);
    if (parser_fuzz::check_parser(parser, {buf.data(), buf.size()})) std::abort();
    return 0;
}
