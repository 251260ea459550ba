// Fuzzes grep:V1's rules (whole-record and JSON field rules, nested keys) for crashes and
// for the same answer twice.
#include "parser_fuzz_check.hpp"

#include <cstdint>
#include <cstdlib>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static grep_v1::GrepRules *rules = [] {
        auto *g = new grep_v1::GrepRules();
        parser_fuzz::add_grep_rules(*g);
        return g;
    }();
    std::vector<char> buf(data, data + size);
    if (parser_fuzz::check_grep(*rules, {buf.data(), buf.size()})) std::abort();
    return 0;
}
