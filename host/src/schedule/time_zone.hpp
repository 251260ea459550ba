// A time zone read from the system's tzdata (TZif files, RFC 8536), so that a schedule can
// say "09:00 in Europe/Berlin" and keep meaning it across daylight-saving changes. Our own
// reader: GCC 12's std::chrono has no time-zone database, and the format is small.
#pragma once

#include "schedule/posix_tz.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mafio::schedule {

class TimeZone {
public:
    // UTC.
    TimeZone();

    // An IANA name ("Europe/Berlin", "UTC") looked up under $TZDIR or /usr/share/zoneinfo.
    // Throws ScheduleError naming the zone and what is accepted.
    static TimeZone named(std::string_view name);
    // The agent's local time: $TZ when set (a zone name, a file, or a POSIX rule), else
    // /etc/localtime, else UTC.
    static TimeZone local();
    // A TZif file's bytes (for tests and /etc/localtime); throws ScheduleError.
    static TimeZone from_tzif(std::string name, std::string_view bytes);

    // Seconds east of UTC at the UTC instant `utc` (seconds since the epoch).
    int32_t offset_at(int64_t utc) const;
    const std::string &name() const { return name_; }

private:
    struct Data {
        std::vector<int64_t> transitions; // UTC seconds, ascending
        std::vector<int32_t> offsets;     // in force from the transition of the same index
        int32_t initial = 0;              // before the first transition
        std::optional<PosixTz> footer;    // after the last one
    };
    std::string name_;
    std::shared_ptr<const Data> data_;
};

} // namespace mafio::schedule
