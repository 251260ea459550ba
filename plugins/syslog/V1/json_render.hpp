// The `format: json` record of one syslog message, and the UTF-8 check both formats use. Pure
// (no host), so unit tests and fuzzing call it as it is.
//
// The object, with a member only when the message has it:
//   {"pri":13,"facility":"user","severity":"notice","protocol":"rfc5424",
//    "timestamp":"2026-11-30T09:55:21.5+01:00","host":"web1","app":"nginx","procid":"42",
//    "msgid":"ID47","sd":{"id@1":{"k":"v","r":["1","2"]}},"message":"...",
//    "truncated":true,"parse_error":"...","raw":"..."}
// - "timestamp" is the TIMESTAMP as written for RFC 5424; for RFC 3164, whose timestamps have
//   no year and no zone, the time it was resolved to (local zone, nearest year) in RFC 3339 UTC.
// - "sd": one object per SD-ID; a PARAM-NAME given several times gets an array of its values
//   in order. Values are unescaped.
// - A message that could not be parsed has only "parse_error", "raw" (the frame) and, when it
//   has one, "pri"/"facility"/"severity".
// - Bytes that are not UTF-8 are replaced by U+FFFD (JSON strings are Unicode) and
//   "parse_error" says so; the other fields stay.
#pragma once

#include "../../common/json_string.hpp"
#include "syslog_message.hpp"

#include <string>
#include <string_view>

namespace syslog_v1 {

// The length of the longest prefix of `s` that is valid UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF); s.size() when all of it is.
size_t utf8_valid_prefix(std::string_view s);

// append_json_string(out, s): `s` as a JSON string literal (with its quotes), invalid UTF-8
// bytes as U+FFFD; the escaping every plugin shares.
using mafio_plugins::append_json_string;

// Appends the JSON object of `m`, parsed from `frame`. `utf8_ok`: utf8_valid_prefix(frame) ==
// frame.size(), computed once by the caller, which counts it.
void render_json(const Message &m, std::string_view frame, bool truncated, bool utf8_ok,
                 std::string &out);

// ns since the epoch as RFC 3339 UTC with as many fraction digits as needed ("...:05Z",
// "...:05.25Z").
void append_rfc3339_utc(int64_t ns, std::string &out);

} // namespace syslog_v1
