// The agent's own log: one line per message on stderr (stdout belongs to the stdout output).
// Format: "2026-11-24T20:30:00.123Z level [where] message". When stderr is the systemd
// journal (JOURNAL_STREAM names it), which stamps every line itself, the line is
// "<N>level [where] message" instead: no second timestamp, and the syslog priority N
// (3 error, 4 warn, 6 info, 7 debug) that journald reads off the start of the line.
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>

namespace mafio::log {

enum class Level { debug = 0, info = 1, warn = 2, error = 3 };

void set_level(Level level);
Level level();
bool enabled(Level level);
// Parses "debug" | "info" | "warn" | "error".
bool parse_level(std::string_view text, Level &out);
// True when `journal_stream` (the value of JOURNAL_STREAM, "<device>:<inode>" in decimal, or
// null) names the file `fd` is open on. systemd sets the variable for a service whose stdout
// or stderr goes to the journal; comparing it with the descriptor, as systemd.exec(5) advises,
// keeps the timestamps of a process that inherited the variable but writes elsewhere.
bool is_journal_stream(const char *journal_stream, int fd);
// Whether lines carry a timestamp. Decided from JOURNAL_STREAM and stderr on first use;
// set_timestamps() overrides that (tests).
bool timestamps();
void set_timestamps(bool on);
// The line write() would emit now, newline included (for text prepared ahead of time, such
// as the message of a signal handler, which cannot format).
std::string format_line(Level level, std::string_view where, std::string_view message);
// Writes one whole line with a single write(2), so lines from threads never interleave.
void write(Level level, std::string_view where, std::string_view message);

template <class... A> void debug(fmt::format_string<A...> f, A &&...a) {
    if (enabled(Level::debug)) write(Level::debug, "", fmt::format(f, std::forward<A>(a)...));
}
template <class... A> void info(fmt::format_string<A...> f, A &&...a) {
    if (enabled(Level::info)) write(Level::info, "", fmt::format(f, std::forward<A>(a)...));
}
template <class... A> void warn(fmt::format_string<A...> f, A &&...a) {
    if (enabled(Level::warn)) write(Level::warn, "", fmt::format(f, std::forward<A>(a)...));
}
template <class... A> void error(fmt::format_string<A...> f, A &&...a) {
    if (enabled(Level::error)) write(Level::error, "", fmt::format(f, std::forward<A>(a)...));
}

} // namespace mafio::log
