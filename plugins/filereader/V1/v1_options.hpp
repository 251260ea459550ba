// The options of filereader:V1, parsed and validated once in create() (which `-check` runs too).
//
// V1 is the fallback for filereader:V2, so it takes a V2 configuration whose meaning it has:
// one file (`path` as a string, or a list of one), read_from, exit_on_eof, poll_interval,
// max_line_bytes, long_lines, fingerprint_bytes and `inotify: false` (V1 always polls). An
// option that asks for what only V2 does (several files, globs, exclude, scans, following
// rotated or deleted files, a descriptor budget, inotify) is refused with one line naming it,
// rather than being ignored: a fallback that silently read other data than the configuration
// says would be worse than none.
#pragma once

#include "line_reader.hpp"

#include <mafio/options.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace mafio_filereader_v1 {

using Clock = std::chrono::steady_clock;

struct V1Options {
    std::string path;
    Clock::duration poll_interval{};
    bool read_from_tail = false;
    bool exit_on_eof = false;
    uint64_t max_line_bytes = mafio_plugins::kDefaultMaxLineBytes;
    mafio_plugins::LongLines long_lines = mafio_plugins::LongLines::truncate;
    uint32_t fingerprint_bytes = 1024;

    explicit V1Options(mafio::Options &o) {
        path = one_path(o);
        poll_interval = std::chrono::duration_cast<Clock::duration>(
            std::chrono::duration<double>(o.seconds("poll_interval", 0.25)));
        read_from_tail = o.choice("read_from", "head", {"head", "tail"}) == "tail";
        exit_on_eof = o.boolean("exit_on_eof", false);
        max_line_bytes = mafio_plugins::max_line_bytes_option(o);
        long_lines = o.choice("long_lines", "truncate", {"truncate", "skip"}) == "skip"
                         ? mafio_plugins::LongLines::skip
                         : mafio_plugins::LongLines::truncate;
        // The same bounds as V2, so that a V2 configuration is valid here too.
        fingerprint_bytes = static_cast<uint32_t>(o.size("fingerprint_bytes", 1024, 1, 65536));
        if (o.boolean("inotify", false))
            refuse(o, "inotify", "cannot use inotify (it polls the file every poll_interval)",
                   "remove the option, set it to false");
        refuse_if_set(o, "exclude", "cannot exclude files (it reads one path)");
        refuse_if_set(o, "scan_interval",
                      "does not scan for new or renamed files (it reads one path)");
        refuse_if_set(o, "rotate_wait",
                      "does not follow a file renamed away (rotation); it reads what is at path");
        refuse_if_set(o, "close_timeout",
                      "does not keep reading a deleted file (it reads what is at path)");
        refuse_if_set(o, "max_open_files",
                      "does not close and reopen files within a budget (it holds one file open)");
    }

private:
    // What V1 accepts, for the end of every refusal.
    static constexpr const char *kAccepted =
        " (filereader:V1 takes: path (one file), read_from, exit_on_eof, poll_interval, "
        "max_line_bytes, long_lines, fingerprint_bytes, inotify: false)";

    [[noreturn]] static void refuse(const mafio::Options &o, const std::string &key,
                                    const std::string &why, const std::string &fix) {
        throw mafio::Error(o.where() + "." + key + ": filereader:V1 " + why + "; " + fix +
                           " or use filereader:V2" + kAccepted);
    }

    static void refuse_if_set(mafio::Options &o, const char *key, const char *why) {
        if (o.has(key)) refuse(o, key, why, "remove the option");
    }

    // `path` as V2 writes it, as long as it names exactly one file literally: V2 expands it
    // with glob(3), so a pattern character (or a backslash, glob's escape) would make V1 read
    // another file than V2 did.
    static std::string one_path(mafio::Options &o) {
        const std::vector<std::string> paths = o.strings("path");
        if (paths.empty())
            throw mafio::Error(o.where() + ".path: required, expected the path of one file" +
                               kAccepted);
        if (paths.size() > 1)
            refuse(o, "path",
                   "reads one file, not a list of " + std::to_string(paths.size()) + " paths",
                   "give one path");
        const std::string &p = paths.front();
        if (p.empty()) throw mafio::Error(o.where() + ".path: expected a non-empty path");
        if (p.find_first_of("*?[\\") != std::string::npos)
            refuse(o, "path",
                   "reads one file named literally, and \"" + p +
                       "\" is a glob pattern (it has * ? [ or \\)",
                   "give the path of one file");
        return p;
    }
};

} // namespace mafio_filereader_v1
