// TimeParser (plugins/common/time_parse.hpp): formats, fractions, zones, calendar checks.
#include "time_parse.hpp"

#include <catch2/catch.hpp>

using mafio_plugins::days_from_civil;
using mafio_plugins::TimeParser;

namespace {
constexpr int64_t kSec = 1000000000;
int64_t at(const char *format, const char *text, int year = 1970) {
    auto t = TimeParser(format).parse(text, year);
    return t ? *t : -1;
}
} // namespace

TEST_CASE("days_from_civil agrees with known dates") {
    CHECK(days_from_civil(1970, 1, 1) == 0);
    CHECK(days_from_civil(2000, 3, 1) == 11017);
    CHECK(days_from_civil(1969, 12, 31) == -1);
    CHECK(days_from_civil(2024, 2, 29) == 19782);
}

TEST_CASE("time formats: ISO 8601, fractions, offsets") {
    CHECK(at("%Y-%m-%dT%H:%M:%S%f%z", "2024-02-29T12:00:00Z") == 1709208000 * kSec);
    CHECK(at("%Y-%m-%dT%H:%M:%S%f%z", "2024-02-29T12:00:00.123Z") == 1709208000 * kSec + 123000000);
    CHECK(at("%Y-%m-%dT%H:%M:%S%f%z", "2024-02-29T14:00:00.123456789123+02:00") ==
          1709208000 * kSec + 123456789);
    CHECK(at("%Y-%m-%dT%H:%M:%S%f%z", "2024-02-29T07:00:00-0500") == 1709208000 * kSec);
    CHECK(at("%Y-%m-%d %H:%M:%S.%f", "2024-02-29 12:00:00.5") == 1709208000 * kSec + 500000000);
    CHECK(at("%F %T %z", "2024-02-29 13:00:00 +01") == 1709208000 * kSec);
    CHECK(at("%d/%b/%Y:%H:%M:%S %z", "29/feb/2024:12:00:00 +0000") == 1709208000 * kSec);
    CHECK(at("%d %B %Y %H:%M", "29 February 2024 12:00") == 1709208000 * kSec);
    CHECK(at("%y%m%d %H%M%S", "240229 120000") == 1709208000 * kSec);
    CHECK(at("%Y %j %T", "2024 060 12:00:00") == 1709208000 * kSec);
    CHECK(at("%s", "1709208000") == 1709208000 * kSec);
    CHECK(at("%b %e %H:%M:%S", "Feb 29 12:00:00", 2024) == 1709208000 * kSec);
    CHECK(at("%b %e %T", "Mar  1 00:00:00", 2024) == 1709251200 * kSec);
    CHECK(at("%I:%M %p %F", "12:30 AM 2024-02-29") == (1709208000 - 11.5 * 3600) * kSec);
    CHECK(at("%Y-%m-%d %H:%M:%S %Z", "2024-02-29 04:00:00 PST") == 1709208000 * kSec);
    CHECK(at("100%% %Y", "100% 1970") == 0);
    CHECK(at("%Y-%m-%d", "1969-12-31") == -86400 * kSec);
}

TEST_CASE("time formats refuse what does not fit") {
    CHECK(at("%Y-%m-%d", "2023-02-29") == -1); // not a leap year
    CHECK(at("%Y-%m-%d", "2024-04-31") == -1);
    CHECK(at("%Y-%m-%d", "2024-13-01") == -1);
    CHECK(at("%Y-%m-%d", "2024-01-01 trailing") == -1);
    CHECK(at("%H:%M", "24:00") == -1);
    CHECK(at("%Y-%m-%dT%H:%M:%S%f", "2024-01-01T00:00:00.") == -1);
    CHECK(at("%z", "+2500") == -1);
    CHECK(at("%Z", "CEST") == -1);
    CHECK(at("%Y", "") == -1);
    CHECK(TimeParser::unknown_directive("%Y-%m-%d %Q") == std::optional<std::string_view>("%Q"));
    CHECK(TimeParser::unknown_directive("%Y %") == std::optional<std::string_view>("%"));
    CHECK(!TimeParser::unknown_directive("%Y-%m-%dT%H:%M:%S%f%z %Z %% %s"));
}
