// tcpdump:V1's packet decoder, TCP reassembly, HTTP parser and record encoders on arbitrary
// bytes (plugins/tcpdump/V1/fuzz_entry.hpp says how the bytes are read).
#include "../../plugins/tcpdump/V1/fuzz_entry.hpp"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    tcpdump_v1::fuzz_tcpdump(data, size);
    return 0;
}
