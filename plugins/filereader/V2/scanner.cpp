#include "scanner.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <fnmatch.h>
#include <glob.h>
#include <map>
#include <sys/stat.h>
#include <utility>

namespace mafio_filereader {

std::string dir_of(const std::string &path) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

namespace {
bool has_wildcard(const std::string &s) {
    return s.find_first_of("*?[") != std::string::npos;
}

std::string base_of(const std::string &path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}
} // namespace

Scanner::Scanner(std::vector<std::string> patterns, std::vector<std::string> excludes)
    : patterns_(std::move(patterns)), excludes_(std::move(excludes)) {}

bool Scanner::excluded(const std::string &path) const {
    for (const auto &x : excludes_) {
        // "*.gz" means any file named so; "/var/log/old/*" means that path.
        const std::string &subject = x.find('/') == std::string::npos ? base_of(path) : path;
        if (::fnmatch(x.c_str(), subject.c_str(), 0) == 0) return true;
    }
    return false;
}

bool Scanner::matches(const std::string &path) const {
    for (const auto &p : patterns_)
        if (::fnmatch(p.c_str(), path.c_str(), FNM_PATHNAME | FNM_PERIOD) == 0)
            return !excluded(path);
    return false;
}

namespace {

// glob(3) reports a directory it cannot read through a plain function pointer: the error is
// kept per thread (each input polls on its own thread), in trivially destructible storage (no
// thread-exit destructor in a plugin that may be unloaded).
thread_local int glob_shortage = 0;
thread_local char glob_shortage_at[512];

void note_shortage(int err, const char *where) {
    if (glob_shortage != 0) return;
    glob_shortage = err;
    std::snprintf(glob_shortage_at, sizeof glob_shortage_at, "%s", where);
}

bool is_shortage(int err) {
    return err == EMFILE || err == ENFILE || err == ENOMEM;
}

int note_glob_error(const char *path, int err) {
    if (is_shortage(err)) note_shortage(err, path);
    return 0; // go on with the other directories; unreadable ones are skipped as before
}

const char *kind_of(mode_t mode) {
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
    if (S_ISSOCK(mode)) return "a socket";
    return "a device or special file";
}

} // namespace

ScanResult Scanner::scan() const {
    ScanResult r;
    std::map<std::pair<uint64_t, uint64_t>, size_t> by_identity; // dedupe (dev, ino)
    glob_shortage = 0;
    glob_shortage_at[0] = '\0';
    for (const auto &pattern : patterns_) {
        size_t regular = 0;
        const std::string dir = dir_of(pattern);
        if (!has_wildcard(dir)) r.dirs.push_back(dir);
        glob_t g{};
        // GLOB_NOSORT: order does not matter, the reader round-robins. Errors in unreadable
        // directories are skipped (no GLOB_ERR); a shortage is remembered by note_glob_error.
        const int rc = ::glob(pattern.c_str(), GLOB_NOSORT, note_glob_error, &g);
        if (rc == GLOB_NOSPACE) note_shortage(ENOMEM, pattern.c_str());
        for (size_t i = 0; rc == 0 && i < g.gl_pathc; ++i) {
            std::string path = g.gl_pathv[i];
            if (excluded(path)) continue;
            struct stat st {};
            if (::stat(path.c_str(), &st) != 0) {
                if (is_shortage(errno)) note_shortage(errno, path.c_str());
                continue; // gone since glob saw it, or a dangling symlink
            }
            if (!S_ISREG(st.st_mode)) {
                if (!S_ISDIR(st.st_mode) || !has_wildcard(pattern))
                    r.not_regular.push_back(NotRegular{path, kind_of(st.st_mode)});
                continue;
            }
            ++regular;
            const auto key =
                std::make_pair(static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino));
            auto [it, fresh] = by_identity.emplace(key, r.files.size());
            if (!fresh) {
                // The same file twice: prefer the path that is not a symlink, so that logs and
                // checkpoints name the real file when the operator gave both.
                struct stat lst {};
                if (::lstat(path.c_str(), &lst) == 0 && !S_ISLNK(lst.st_mode))
                    r.files[it->second].path = std::move(path);
                continue;
            }
            r.dirs.push_back(dir_of(path));
            r.files.push_back(FoundFile{std::move(path), key.first, key.second,
                                        static_cast<uint64_t>(st.st_size)});
        }
        ::globfree(&g);
        r.matches_per_pattern.push_back(regular);
    }
    std::sort(r.dirs.begin(), r.dirs.end());
    r.dirs.erase(std::unique(r.dirs.begin(), r.dirs.end()), r.dirs.end());
    std::sort(r.not_regular.begin(), r.not_regular.end(),
              [](const NotRegular &a, const NotRegular &b) { return a.path < b.path; });
    r.not_regular.erase(std::unique(r.not_regular.begin(), r.not_regular.end()),
                        r.not_regular.end());
    r.shortage = glob_shortage;
    r.shortage_at = glob_shortage_at;
    return r;
}

} // namespace mafio_filereader
