// The built-in formats: a PCRE2 pattern with named groups, the groups' default types, and which
// group holds the record time in which format. Tested against real-looking lines in
// test/unit/test_parser_formats.cpp.
#pragma once

#include <string_view>

namespace parser_v1 {

struct Preset {
    std::string_view name;
    std::string_view regex;
    std::string_view types; // "name:type" pairs separated by spaces
    std::string_view time_key;
    std::string_view time_format;
    bool year_less; // the time has no year: the current one is assumed (RFC 3164)
};

// A double-quoted field as nginx and Apache write it: no raw '"' inside; Apache escapes one as
// \" (kept as written), nginx as \x22. Written as an unrolled loop, which PCRE2's JIT runs
// faster than the equivalent alternation.
#define PARSER_V1_QUOTED "[^\"\\\\]*(?:\\\\.[^\"\\\\]*)*"
// The request line: method, path, protocol; a request that is not three such parts (a scanner's
// garbage, "-" for a timed-out connection) is kept whole as `request`.
#define PARSER_V1_REQUEST                                                                          \
    "\"(?:(?<method>[A-Za-z]+) (?<path>[^ \"]*)(?: (?<protocol>[^ "                                \
    "\"]*))?|(?<request>" PARSER_V1_QUOTED "))\""

inline constexpr Preset kPresets[] = {
    // log_format combined (nginx's default), optionally followed by "$http_x_forwarded_for" as
    // nginx.conf's sample `main` format writes it.
    // nginx escapes '"' and '\' inside a variable as \x22 and \x5C: a quoted field has neither,
    // so the simpler [^"]* (faster than the Apache form) reads it.
    {"nginx",
     "^(?<remote_addr>[^ ]*) - (?<remote_user>[^ ]*) \\[(?<time>[^\\]]*)\\] "
     "\"(?:(?<method>[A-Za-z]+) (?<path>[^ \"]*)(?: (?<protocol>[^ \"]*))?|(?<request>[^\"]*))\""
     " (?<status>\\d{3}) (?<size>\\d+|-) \"(?<referer>[^\"]*)\" \"(?<agent>[^\"]*)\""
     "(?: \"(?<forwarded_for>[^\"]*)\")?$",
     "status:int size:int", "time", "%d/%b/%Y:%H:%M:%S %z", false},
    // Apache's combined format (%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-agent}i\");
    // the common format (without referer and agent) matches too.
    {"apache_combined",
     "^(?<host>[^ ]*) (?<ident>[^ ]*) (?<user>[^ ]*) \\[(?<time>[^\\]]*)\\] " PARSER_V1_REQUEST
     " (?<status>\\d{3}) (?<size>\\d+|-)(?: \"(?<referer>" PARSER_V1_QUOTED
     ")\" \"(?<agent>" PARSER_V1_QUOTED ")\")?$",
     "status:int size:int", "time", "%d/%b/%Y:%H:%M:%S %z", false},
    // RFC 5424: <PRI>VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [MSG].
    // A NILVALUE ("-") leaves its field out.
    {"syslog_rfc5424",
     "^<(?<pri>\\d{1,3})>(?<version>\\d{1,2}) (?:-|(?<time>[^ ]+)) (?:-|(?<host>[^ ]+)) "
     "(?:-|(?<ident>[^ ]+)) (?:-|(?<pid>[^ ]+)) (?:-|(?<msgid>[^ ]+)) "
     "(?:-|(?<extradata>(?:\\[(?:[^\\]\"\\\\]|\"[^\"\\\\]*(?:\\\\.[^\"\\\\]*)*\")*\\])+))"
     "(?: (?<message>[\\s\\S]*))?$",
     "pri:int version:int", "time", "%Y-%m-%dT%H:%M:%S%f%z", false},
    // RFC 3164 (BSD syslog): [<PRI>]Mmm dd hh:mm:ss HOST [TAG[PID]: ]MSG.
    {"syslog_rfc3164",
     "^(?:<(?<pri>\\d{1,3})>)?(?<time>[A-Za-z]{3} [ \\d]\\d \\d{2}:\\d{2}:\\d{2}) (?<host>[^ ]+) "
     "(?:(?<ident>[^ :\\[]+)(?:\\[(?<pid>\\d+)\\])?: )?(?<message>[\\s\\S]*)$",
     "pri:int pid:int", "time", "%b %e %H:%M:%S", true},
};

#undef PARSER_V1_QUOTED
#undef PARSER_V1_REQUEST

inline const Preset *find_preset(std::string_view name) {
    for (const auto &p : kPresets)
        if (p.name == name) return &p;
    return nullptr;
}

} // namespace parser_v1
