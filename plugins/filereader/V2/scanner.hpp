// Finds the files the patterns name: glob(3) each `path` pattern, drop what an `exclude`
// pattern matches, follow symlinks (stat), keep regular files, and collapse paths that reach the
// same file (a symlink and its target, hard links) into one, so that each file is read once.
//
// A scan also tells what an operator would want to know about the patterns (how many regular
// files each matched, which matches are not regular files) and whether it could look
// everywhere: a directory glob could not open for lack of descriptors or memory makes the scan
// incomplete, and an incomplete scan proves nothing about the files it did not see.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mafio_filereader {

struct FoundFile {
    std::string path; // as matched (a symlink stays a symlink: it is what the operator named)
    uint64_t dev = 0;
    uint64_t ino = 0;
    uint64_t size = 0;
};

// A match that is not a regular file and is not read. Directories are listed only when a
// pattern names them exactly (a wildcard matching subdirectories of a log directory is normal);
// FIFOs, sockets and devices always.
struct NotRegular {
    std::string path;
    const char *what; // "a directory", "a FIFO", "a socket", "a device"
    bool operator==(const NotRegular &o) const { return path == o.path; }
};

struct ScanResult {
    std::vector<FoundFile> files;
    // The directories worth watching: the directory part of each pattern without wildcards and
    // the directory of every match.
    std::vector<std::string> dirs;
    std::vector<size_t> matches_per_pattern; // regular files each pattern matched, in order
    std::vector<NotRegular> not_regular;
    // errno (EMFILE, ENFILE, ENOMEM) when the scan could not look everywhere, and where.
    int shortage = 0;
    std::string shortage_at;
    bool complete() const { return shortage == 0; }
};

class Scanner {
public:
    Scanner(std::vector<std::string> patterns, std::vector<std::string> excludes);

    ScanResult scan() const;

    bool excluded(const std::string &path) const;
    // Whether a path is one the patterns name (fnmatch with glob's rules), exclusions applied.
    bool matches(const std::string &path) const;
    const std::vector<std::string> &patterns() const { return patterns_; }

private:
    std::vector<std::string> patterns_;
    std::vector<std::string> excludes_;
};

// The directory part of a path ("." for a bare name).
std::string dir_of(const std::string &path);

} // namespace mafio_filereader
