// Finds the files the patterns name: glob(3) each `path` pattern, drop what an `exclude`
// pattern matches, follow symlinks (stat), keep regular files, and collapse paths that reach the
// same file (a symlink and its target, hard links) into one, so that each file is read once.
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

class Scanner {
public:
    Scanner(std::vector<std::string> patterns, std::vector<std::string> excludes);

    // One scan. `dirs` receives the directories worth watching: the directory part of each
    // pattern without wildcards and the directory of every match.
    std::vector<FoundFile> scan(std::vector<std::string> &dirs) const;

    bool excluded(const std::string &path) const;
    // Whether a path is one the patterns name (fnmatch with glob's rules), exclusions applied.
    bool matches(const std::string &path) const;

private:
    std::vector<std::string> patterns_;
    std::vector<std::string> excludes_;
};

// The directory part of a path ("." for a bare name).
std::string dir_of(const std::string &path);

} // namespace mafio_filereader
