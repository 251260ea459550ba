// The agent's own log: one line per message on stderr (stdout belongs to the stdout output).
// Format: "2026-11-24T20:30:00.123Z level [where] message".
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
