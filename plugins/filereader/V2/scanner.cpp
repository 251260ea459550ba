#include "scanner.hpp"

#include <algorithm>
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
bool has_wildcard(const std::string &s) { return s.find_first_of("*?[") != std::string::npos; }

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

std::vector<FoundFile> Scanner::scan(std::vector<std::string> &dirs) const {
    std::vector<FoundFile> out;
    std::map<std::pair<uint64_t, uint64_t>, size_t> by_identity; // dedupe (dev, ino)
    for (const auto &pattern : patterns_) {
        const std::string dir = dir_of(pattern);
        if (!has_wildcard(dir)) dirs.push_back(dir);
        glob_t g{};
        // GLOB_NOSORT: order does not matter, the reader round-robins. Errors in unreadable
        // directories are skipped (default errfunc behaviour without GLOB_ERR).
        const int rc = ::glob(pattern.c_str(), GLOB_NOSORT, nullptr, &g);
        if (rc == 0) {
            for (size_t i = 0; i < g.gl_pathc; ++i) {
                std::string path = g.gl_pathv[i];
                if (excluded(path)) continue;
                struct stat st {};
                if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
                const auto key = std::make_pair(static_cast<uint64_t>(st.st_dev),
                                                static_cast<uint64_t>(st.st_ino));
                auto [it, fresh] = by_identity.emplace(key, out.size());
                if (!fresh) {
                    // The same file twice: prefer the path that is not a symlink, so that logs
                    // and checkpoints name the real file when the operator gave both.
                    struct stat lst {};
                    if (::lstat(path.c_str(), &lst) == 0 && !S_ISLNK(lst.st_mode))
                        out[it->second].path = std::move(path);
                    continue;
                }
                dirs.push_back(dir_of(path));
                out.push_back(FoundFile{std::move(path), key.first, key.second,
                                        static_cast<uint64_t>(st.st_size)});
            }
        }
        ::globfree(&g);
    }
    std::sort(dirs.begin(), dirs.end());
    dirs.erase(std::unique(dirs.begin(), dirs.end()), dirs.end());
    return out;
}

} // namespace mafio_filereader
