// The names of logr's files beside `path` (pure string work, no file system access):
//   numbered (no time_format):   app.log.1 (newest) .. app.log.N
//   time_format, suffix:         app.log.2024-05-01, then app.log.2024-05-01.1, .2 ... when taken
//   time_format, prefix:         2024-05-01.app.log, then 2024-05-01.app.log.1 ...
// Each may carry ".gz" once compressed. The compressor writes to app.log.gz.tmp and renames it
// only when complete, so that name is never a rotated file.
#pragma once

#include "time_format.hpp"

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace logr_v1 {

enum class Position { suffix, prefix };

class Names {
public:
    Names(std::string path, std::optional<TimeFormat> format, Position position)
        : path_(std::move(path)), format_(std::move(format)), position_(position) {
        const size_t slash = path_.rfind('/');
        dir_ = slash == std::string::npos ? "." : slash == 0 ? "/" : path_.substr(0, slash);
        base_ = slash == std::string::npos ? path_ : path_.substr(slash + 1);
    }

    const std::string &path() const { return path_; }
    const std::string &dir() const { return dir_; }
    const std::string &base() const { return base_; }
    bool timed() const { return format_.has_value(); }

    // Full paths.
    std::string in_dir(std::string_view name) const {
        return (dir_ == "/" ? "/" : dir_ + "/") + std::string(name);
    }
    std::string numbered(uint32_t n) const { return path_ + "." + std::to_string(n); }
    // The rotated name for a file last written at `t`; `k` > 0 tells apart files of one stamp.
    std::string stamped(time_t t, uint32_t k) const {
        const std::string stamp = format_->format(t);
        std::string name =
            position_ == Position::suffix ? base_ + "." + stamp : stamp + "." + base_;
        if (k > 0) name += "." + std::to_string(k);
        return in_dir(name);
    }
    std::string temp() const { return path_ + ".gz.tmp"; }
    static std::string gz(const std::string &plain) { return plain + ".gz"; }

    // A directory entry's name (no directory part) that is a rotated file of ours: the name of
    // its uncompressed form (still without directory) and whether this one is compressed.
    struct Rotated {
        std::string plain;
        bool gz;
    };
    std::optional<Rotated> classify(std::string_view name) const {
        if (name == base_ + ".gz.tmp") return std::nullopt;
        const bool gz = ends_with(name, ".gz");
        const std::string_view plain = gz ? name.substr(0, name.size() - 3) : name;
        if (!is_rotated_plain(plain)) return std::nullopt;
        return Rotated{std::string(plain), gz};
    }

private:
    bool is_rotated_plain(std::string_view n) const {
        if (!timed()) return starts_with(n, base_ + ".") && is_number(n.substr(base_.size() + 1));
        if (stamp_fits(n)) return true;
        const size_t dot = n.rfind('.'); // a ".k" telling apart files of one stamp
        return dot != std::string_view::npos && is_number(n.substr(dot + 1)) &&
               stamp_fits(n.substr(0, dot));
    }
    bool stamp_fits(std::string_view n) const {
        if (position_ == Position::suffix)
            return starts_with(n, base_ + ".") && format_->matches(n.substr(base_.size() + 1));
        return ends_with(n, "." + base_) &&
               format_->matches(n.substr(0, n.size() - base_.size() - 1));
    }
    static bool is_number(std::string_view s) {
        if (s.empty() || s.size() > 9 || s[0] == '0') return false;
        uint32_t v = 0;
        auto r = std::from_chars(s.data(), s.data() + s.size(), v);
        return r.ec == std::errc() && r.ptr == s.data() + s.size();
    }
    static bool starts_with(std::string_view s, std::string_view p) {
        return s.size() >= p.size() && s.substr(0, p.size()) == p;
    }
    static bool ends_with(std::string_view s, std::string_view p) {
        return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
    }

    std::string path_, dir_, base_;
    std::optional<TimeFormat> format_;
    Position position_;
};

} // namespace logr_v1
