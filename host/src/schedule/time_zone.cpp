#include "schedule/time_zone.hpp"

#include "schedule/schedule_error.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace mafio::schedule {

namespace {

std::optional<std::string> read_file(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string zoneinfo_dir() {
    const char *dir = std::getenv("TZDIR");
    return dir && *dir ? dir : "/usr/share/zoneinfo";
}

// Letters, digits and / _ + - only, no "..", not absolute: a name, never a path of its own.
bool plausible_name(std::string_view n) {
    if (n.empty() || n.front() == '/' || n.find("..") != std::string_view::npos) return false;
    return std::all_of(n.begin(), n.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '/' || c == '_' || c == '+' || c == '-';
    });
}

class Bytes {
public:
    explicit Bytes(std::string_view b) : b_(b) {}
    bool has(size_t n) const { return b_.size() - i_ >= n; }
    int64_t be(size_t n) { // big-endian, two's complement
        uint64_t v = 0;
        for (size_t k = 0; k < n; ++k)
            v = (v << 8) | static_cast<unsigned char>(b_[i_++]);
        if (n < 8 && (v >> (n * 8 - 1)) & 1) v |= ~uint64_t(0) << (n * 8);
        return static_cast<int64_t>(v);
    }
    void skip(size_t n) { i_ += n; }
    std::string_view rest() const { return b_.substr(i_); }

private:
    std::string_view b_;
    size_t i_ = 0;
};

} // namespace

TimeZone::TimeZone() : name_("UTC"), data_(std::make_shared<Data>()) {}

TimeZone TimeZone::from_tzif(std::string name, std::string_view bytes) {
    auto bad = [&](const char *why) {
        return ScheduleError("time zone \"" + name + "\": not a valid TZif file (" + why + ")");
    };
    Bytes r(bytes);
    auto header = [&](int64_t counts[6]) {
        if (!r.has(44) || r.rest().substr(0, 4) != "TZif") throw bad("no TZif header");
        r.skip(20);
        for (int k = 0; k < 6; ++k)
            counts[k] = r.be(4);
    };
    // Counts: isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt.
    int64_t c[6];
    header(c);
    const char version = bytes[4];
    size_t time_size = 4;
    if (version >= '2') { // skip the 32-bit block: the 64-bit one follows
        const int64_t v1 = c[3] * 5 + c[4] * 6 + c[5] + c[2] * 8 + c[1] + c[0];
        if (!r.has(static_cast<size_t>(v1))) throw bad("truncated");
        r.skip(static_cast<size_t>(v1));
        header(c);
        time_size = 8;
    }
    const int64_t timecnt = c[3], typecnt = c[4];
    if (typecnt < 1 || typecnt > 256 || timecnt < 0 || timecnt > 100000) throw bad("bad counts");
    if (!r.has(static_cast<size_t>(timecnt * (time_size + 1) + typecnt * 6)))
        throw bad("truncated");
    auto data = std::make_shared<Data>();
    for (int64_t k = 0; k < timecnt; ++k)
        data->transitions.push_back(r.be(time_size));
    std::vector<uint8_t> type_of(static_cast<size_t>(timecnt));
    for (auto &t : type_of)
        t = static_cast<uint8_t>(r.be(1));
    std::vector<int32_t> utoff(static_cast<size_t>(typecnt));
    for (auto &o : utoff) {
        o = static_cast<int32_t>(r.be(4));
        r.skip(2); // isdst, desigidx
    }
    for (auto t : type_of) {
        if (t >= typecnt) throw bad("bad type index");
        data->offsets.push_back(utoff[t]);
    }
    data->initial = utoff[0];
    const size_t rest = static_cast<size_t>(c[5] + c[2] * (time_size + 4) + c[1] + c[0]);
    if (version >= '2' && r.has(rest)) {
        r.skip(rest);
        std::string_view footer = r.rest();
        if (footer.size() >= 2 && footer.front() == '\n') {
            footer = footer.substr(1, footer.find('\n', 1) - 1);
            if (!footer.empty()) data->footer = parse_posix_tz(footer);
        }
    }
    TimeZone tz;
    tz.name_ = std::move(name);
    tz.data_ = std::move(data);
    return tz;
}

TimeZone TimeZone::named(std::string_view name) {
    const std::string dir = zoneinfo_dir();
    const std::string expected = "; expected an IANA time zone name such as \"Europe/Berlin\", "
                                 "\"America/New_York\" or \"UTC\" (the names under " +
                                 dir + ")";
    if (!plausible_name(name))
        throw ScheduleError("time zone \"" + std::string(name) + "\" is not a zone name" +
                            expected);
    auto bytes = read_file(dir + "/" + std::string(name));
    if (!bytes || bytes->compare(0, 4, "TZif") != 0)
        throw ScheduleError("time zone \"" + std::string(name) + "\": no such zone" + expected);
    return from_tzif(std::string(name), *bytes);
}

TimeZone TimeZone::local() {
    if (const char *tz = std::getenv("TZ"); tz && *tz) {
        std::string_view v(tz);
        if (v.front() == ':') v.remove_prefix(1);
        if (!v.empty() && v.front() == '/') {
            if (auto bytes = read_file(std::string(v))) try {
                    return from_tzif("local (" + std::string(v) + ")", *bytes);
                } catch (const ScheduleError &) {
                }
        } else if (plausible_name(v)) {
            try {
                TimeZone z = named(v);
                z.name_ = "local (" + std::string(v) + ")";
                return z;
            } catch (const ScheduleError &) {
            }
        }
        if (auto rule = parse_posix_tz(v)) {
            TimeZone z;
            z.name_ = "local (TZ=" + std::string(v) + ")";
            auto data = std::make_shared<Data>();
            data->initial = rule->std_offset;
            data->footer = rule;
            z.data_ = std::move(data);
            return z;
        }
        return TimeZone{}; // glibc reads an unknown TZ as UTC too
    }
    if (auto bytes = read_file("/etc/localtime")) {
        std::error_code ec;
        auto target = std::filesystem::read_symlink("/etc/localtime", ec).string();
        const auto at = target.find("zoneinfo/");
        std::string shown = at == std::string::npos ? "/etc/localtime" : target.substr(at + 9);
        try {
            return from_tzif("local (" + shown + ")", *bytes);
        } catch (const ScheduleError &) {
        }
    }
    return TimeZone{};
}

int32_t TimeZone::offset_at(int64_t utc) const {
    const auto &t = data_->transitions;
    if (t.empty() || utc < t.front()) {
        if (t.empty() && data_->footer) return data_->footer->offset_at(utc);
        return data_->initial;
    }
    if (utc >= t.back() && data_->footer) return data_->footer->offset_at(utc);
    const size_t k = static_cast<size_t>(std::upper_bound(t.begin(), t.end(), utc) - t.begin());
    return data_->offsets[k - 1];
}

} // namespace mafio::schedule
