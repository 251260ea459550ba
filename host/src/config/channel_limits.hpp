// Accepted ranges of the channel and bulk sizes, shared by the flags and the config file so both
// refuse the same values with the same words.
#pragma once

#include <cstdint>

namespace mafio {

struct RecordCountRange {
    uint64_t min, max;
};

// A channel larger than 1Mi records or a bulk larger than 64Ki records only costs memory and
// latency; 0 would stall the pipeline.
inline constexpr RecordCountRange channel_size_range{1, 1048576};
inline constexpr RecordCountRange bulk_size_range{1, 65536};

} // namespace mafio
