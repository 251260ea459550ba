// The options of filereader:V2, parsed and validated once in create(). Every option, its
// default and why that default is in the options schema at the bottom of this file, which is
// what `mafio -describe`-style tooling and the README show.
#pragma once

#include "checkpoint_codec.hpp"
#include "fd_shortage.hpp"
#include "line_reader.hpp"

#include <mafio/options.hpp>

#include <chrono>
#include <string>
#include <sys/resource.h>
#include <vector>

namespace mafio_filereader {

using Clock = std::chrono::steady_clock;

// The soft RLIMIT_NOFILE now (the host raised it to the hard limit at start).
inline uint64_t soft_fd_limit() {
    rlimit lim{};
    return ::getrlimit(RLIMIT_NOFILE, &lim) == 0 ? static_cast<uint64_t>(lim.rlim_cur) : 1024;
}

inline Clock::duration to_duration(double seconds) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

struct FileReaderOptions {
    std::vector<std::string> paths;    // glob(3) patterns
    std::vector<std::string> excludes; // fnmatch(3) patterns
    Clock::duration scan_interval{};
    Clock::duration poll_interval{};
    Clock::duration rotate_wait{};
    Clock::duration close_timeout{};
    bool read_from_tail = false;
    uint32_t fingerprint_bytes = 1024;
    uint64_t max_line_bytes = mafio_plugins::kDefaultMaxLineBytes;
    mafio_plugins::LongLines long_lines = mafio_plugins::LongLines::truncate;
    size_t max_open_files = 0; // default: default_max_open_files() of the descriptor limit
    bool exit_on_eof = false;
    bool inotify = true;

    explicit FileReaderOptions(mafio::Options &o) {
        paths = o.strings("path");
        if (paths.empty())
            throw mafio::Error(o.where() + ".path: required, expected a glob pattern such as "
                                           "\"/var/log/*.log\" or an array of them");
        for (const auto &p : paths)
            if (p.empty()) throw mafio::Error(o.where() + ".path: a pattern is empty");
        excludes = o.strings("exclude");
        scan_interval = duration(o, "scan_interval", 2.0, 0.01);
        poll_interval = duration(o, "poll_interval", 0.25, 0.001);
        rotate_wait = duration(o, "rotate_wait", 5.0, 0);
        close_timeout = duration(o, "close_timeout", 5.0, 0);
        read_from_tail = o.choice("read_from", "head", {"head", "tail"}) == "tail";
        fingerprint_bytes = static_cast<uint32_t>(o.size("fingerprint_bytes", 1024, 1, 65536));
        max_line_bytes = mafio_plugins::max_line_bytes_option(o);
        long_lines = o.choice("long_lines", "truncate", {"truncate", "skip"}) == "skip"
                         ? mafio_plugins::LongLines::skip
                         : mafio_plugins::LongLines::truncate;
        max_open_files = static_cast<size_t>(o.integer(
            "max_open_files", static_cast<int64_t>(default_max_open_files(soft_fd_limit())), 1,
            static_cast<int64_t>(kMaxOpenFilesCeiling)));
        exit_on_eof = o.boolean("exit_on_eof", false);
        inotify = o.boolean("inotify", true);
    }

private:
    static Clock::duration duration(mafio::Options &o, const char *key, double def, double min) {
        const double s = o.seconds(key, def);
        if (s < min)
            throw mafio::Error(o.where() + "." + key + ": expected a duration of at least " +
                               std::to_string(min) + "s");
        return to_duration(s);
    }
};

// JSON Schema of the options (the descriptor's options_schema).
#define MAFIO_FILEREADER_V2_SCHEMA                                                                 \
    "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"path\"],"                 \
    "\"properties\":{"                                                                             \
    "\"path\":{\"type\":[\"string\",\"array\"],\"items\":{\"type\":\"string\"},"                   \
    "\"description\":\"glob(3) pattern(s) of the files to read, e.g. /var/log/*.log; re-scanned "  \
    "every scan_interval and when a watched directory changes; symlinks are followed and a file "  \
    "reached by several paths is read once\"},"                                                    \
    "\"exclude\":{\"type\":[\"string\",\"array\"],\"items\":{\"type\":\"string\"},"                \
    "\"description\":\"fnmatch(3) pattern(s) of paths to leave out; a pattern without '/' is "     \
    "matched against the file name, one with '/' against the whole path\"},"                       \
    "\"scan_interval\":{\"type\":[\"number\",\"string\"],\"default\":\"2s\","                      \
    "\"description\":\"how often the patterns are re-scanned for new, renamed and deleted "        \
    "files (inotify triggers a scan sooner)\"},"                                                   \
    "\"poll_interval\":{\"type\":[\"number\",\"string\"],\"default\":\"250ms\","                   \
    "\"description\":\"how often open files are checked for new data without an inotify event "    \
    "(the only way when inotify is unavailable)\"},"                                               \
    "\"read_from\":{\"enum\":[\"head\",\"tail\"],\"default\":\"head\","                            \
    "\"description\":\"where to start files found by the first scan of the first run (no stored "  \
    "checkpoints); files found later, or after a restart, are new data and read from their "       \
    "start\"},"                                                                                    \
    "\"fingerprint_bytes\":{\"type\":[\"integer\",\"string\"],\"default\":1024,"                   \
    "\"description\":\"bytes at the start of a file hashed, with device and inode, to identify "   \
    "it (tells a reused inode from the old file)\"},"                                              \
    "\"rotate_wait\":{\"type\":[\"number\",\"string\"],\"default\":\"5s\","                        \
    "\"description\":\"how long a file renamed out of the patterns is still followed (the writer " \
    "may still append to it); it is released at its end once this has passed\"},"                  \
    "\"close_timeout\":{\"type\":[\"number\",\"string\"],\"default\":\"5s\","                      \
    "\"description\":\"how long a deleted file is kept open at its end before its descriptor is "  \
    "released\"}," MAFIO_MAX_LINE_BYTES_SCHEMA ","                                                 \
    "\"long_lines\":{\"enum\":[\"truncate\",\"skip\"],\"default\":\"truncate\","                   \
    "\"description\":\"a line longer than max_line_bytes becomes its first max_line_bytes bytes "  \
    "flagged truncated (truncate) or is dropped (skip); counted in truncated_lines or "            \
    "skipped_lines\"},"                                                                            \
    "\"max_open_files\":{\"type\":\"integer\",\"minimum\":1,"                                      \
    "\"description\":\"most file descriptors held at once; with more matching files, files idle "  \
    "at their end are closed and reopened later (by path, identity checked). Default: the open "   \
    "files limit (RLIMIT_NOFILE, which mafio raises to its hard limit) minus a reserve for "       \
    "sockets, checkpoints and the API of a quarter of it, at least 64: 768 for 1024, 49152 for "   \
    "65536. When descriptors run out anyway, the input holds fewer and no file is lost\"},"        \
    "\"exit_on_eof\":{\"type\":\"boolean\",\"default\":false,"                                     \
    "\"description\":\"read every matching file to its end, then end the input (the agent "        \
    "delivers, stores checkpoints and exits 0); an unterminated last line is delivered but the "   \
    "checkpoint stays before it\"},"                                                               \
    "\"inotify\":{\"type\":\"boolean\",\"default\":true,"                                          \
    "\"description\":\"use inotify for low latency; false (or inotify unavailable) polls every "   \
    "poll_interval and scans every scan_interval\"}"                                               \
    "}}"

} // namespace mafio_filereader
