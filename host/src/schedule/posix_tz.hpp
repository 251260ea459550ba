// The POSIX TZ rule string (`CET-1CEST,M3.5.0,M10.5.0/3`) that ends a TZif file and says
// how a zone's clock behaves after its last listed transition; also what TZ may hold.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace mafio::schedule {

struct PosixTz {
    // When a change happens: Jn (day 1-365, February 29 never counted), n (day 0-365) or
    // Mm.w.d (weekday d of week w of month m, w = 5: the last), at `time` local seconds.
    struct Rule {
        enum Kind { julian1, julian0, month_week_day } kind = month_week_day;
        int day = 0; // julian1 / julian0
        int month = 0, week = 0, weekday = 0;
        int32_t time = 7200;
    };
    int32_t std_offset = 0; // seconds east of UTC (POSIX writes west)
    bool has_dst = false;
    int32_t dst_offset = 0;
    Rule start, end;

    // Seconds east of UTC at the UTC instant `utc`.
    int32_t offset_at(int64_t utc) const;
};

// nullopt when `text` is not a POSIX TZ string.
std::optional<PosixTz> parse_posix_tz(std::string_view text);

} // namespace mafio::schedule
