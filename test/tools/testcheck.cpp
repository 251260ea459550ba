// mafio-testcheck: reads what the agent delivered (lines written by mafio-testwriter, see
// line_format.hpp) and says, per stream, what arrived: missing numbers, duplicates (and how far
// back they reached), first deliveries out of order, and lines whose payload is not the one
// written (torn, truncated or merged lines). The exit status says whether the expectations given
// on the command line hold, so a test script needs nothing else.
#include "args.hpp"
#include "line_format.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unistd.h>
#include <unordered_map>
#include <vector>

namespace {

const char *kUsage = R"(usage: mafio-testcheck [options] [FILE...]   (no FILE or "-": stdin)
FILEs are read in the order given, as one stream of lines (give rotated files oldest first).
  --min-len B --max-len B --seed S   payload shape, as given to the writer (default 16..120, 1)
  --no-payload             do not check payloads
  --first-seq S            the first number of every stream (default 1)
  --expect-count N         every stream has the numbers S .. S+N-1
  --expect-streams N       exactly N streams
  --exactly-once           no number missing, none twice
  --at-least-once          no number missing (duplicates allowed, see --max-dup-window)
  --no-dups                no number twice
  --max-dup-window W       a duplicate may only repeat a line first delivered at most W lines
                           (of its stream) earlier: a replay from the last checkpoint, not a
                           re-read from the start (robust to files read side by side)
  --in-order               each number first arrives after every smaller one of its stream
  --allow-loss-before-every N --max-loss-window W [--loss-offset K]
                           missing numbers are accepted when they form a run of at most W
                           ending at a multiple of N plus K (the lines just before a truncate)
  --ignore-stream PREFIX   lines of streams starting with PREFIX are counted, not checked
  --allow-malformed        lines that are not "stream:seq:payload" do not fail the check
Exit status: 0 when every expectation holds, 1 otherwise, 2 on bad usage or unreadable input.
)";

// Numbers above this are not tracked one by one (a garbage line must not allocate gigabytes).
constexpr uint64_t kMaxTrackedSeq = 200'000'000;

struct Range {
    uint64_t first, last;
};

struct Stream {
    uint64_t key = 0;
    // Indexed by seq: the stream's line count when that number first arrived (0: never).
    std::vector<uint32_t> first_at;
    uint64_t lines = 0, unique = 0, dups = 0, inversions = 0, bad_payload = 0, untracked = 0;
    uint64_t max_seq = 0, max_dup_distance = 0;
    uint64_t first_bad_seq = 0, first_inversion_seq = 0;
    uint64_t max_dup_seq = 0, max_dup_after = 0; // the farthest-reaching duplicate, and the
                                                 // highest number seen before it
    std::vector<Range> missing;
    uint64_t missing_count = 0;
};

struct Expectations {
    uint64_t first_seq = 1, count = 0, streams = 0;
    bool check_streams = false, no_missing = false, no_dups = false, in_order = false;
    uint64_t max_dup_window = 0; // 0: any
    uint64_t loss_every = 0, max_loss_window = 0, loss_offset = 0;
    bool check_payload = true, allow_malformed = false;
};

// Transparent hashing, so looking up a stream by string_view does not allocate.
struct NameHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

class Checker {
public:
    Checker(const testline::Shape &shape, const Expectations &want,
            std::vector<std::string> ignored)
        : shape_(shape), want_(want), ignored_(std::move(ignored)) {}

    void line(std::string_view text) {
        ++total_lines_;
        const size_t c1 = text.find(':');
        const size_t c2 = c1 == std::string_view::npos ? c1 : text.find(':', c1 + 1);
        uint64_t seq = 0;
        bool number = c2 != std::string_view::npos && c2 > c1 + 1 && c2 - c1 - 1 <= 19;
        for (size_t i = c1 + 1; number && i < c2; ++i) {
            if (text[i] < '0' || text[i] > '9')
                number = false;
            else
                seq = seq * 10 + static_cast<uint64_t>(text[i] - '0');
        }
        if (!number || c1 == 0) {
            if (malformed_ < 3) examples_.push_back(std::string(text.substr(0, 80)));
            ++malformed_;
            return;
        }
        const std::string_view name = text.substr(0, c1);
        if (is_ignored(name)) {
            ++ignored_lines_;
            return;
        }
        Stream &s = stream(name);
        ++s.lines;
        if (want_.check_payload && !payload_ok(s, seq, text.substr(c2 + 1))) {
            if (s.bad_payload++ == 0) s.first_bad_seq = seq;
        }
        if (seq > kMaxTrackedSeq) {
            ++s.untracked;
            return;
        }
        if (s.first_at.size() <= seq)
            s.first_at.resize(std::max<size_t>(seq + 1, s.first_at.size() * 2));
        uint32_t &first = s.first_at[seq];
        if (first > 0) {
            ++s.dups;
            // How long ago (in lines of this stream) it was first delivered.
            const uint64_t distance = s.lines - first;
            if (distance > s.max_dup_distance) {
                s.max_dup_distance = distance;
                s.max_dup_seq = seq;
                s.max_dup_after = s.max_seq;
            }
        } else {
            ++s.unique;
            first = static_cast<uint32_t>(s.lines);
            if (seq < s.max_seq && s.inversions++ == 0) s.first_inversion_seq = seq;
        }
        s.max_seq = std::max(s.max_seq, seq);
    }

    // Reports and judges; returns true when every expectation holds.
    bool finish() {
        bool ok = true;
        auto failure = [&](const std::string &why) {
            std::printf("FAIL: %s\n", why.c_str());
            ok = false;
        };
        uint64_t lines = 0, unique = 0, dups = 0, inversions = 0, bad = 0, missing = 0;
        uint64_t tolerated = 0;
        std::vector<std::string> names;
        for (auto &[name, s] : streams_)
            names.push_back(name);
        std::sort(names.begin(), names.end());
        for (const auto &name : names) {
            Stream &s = streams_.find(name)->second;
            find_missing(s);
            const uint64_t lost_ok = tolerated_loss(s);
            lines += s.lines;
            unique += s.unique;
            dups += s.dups;
            inversions += s.inversions;
            bad += s.bad_payload;
            missing += s.missing_count;
            tolerated += lost_ok;
            const bool problem =
                s.missing_count || s.dups || s.inversions || s.bad_payload || s.untracked;
            if (problem || names.size() <= 20) print_stream(name, s);
            if (s.bad_payload)
                failure("stream " + name + ": " + std::to_string(s.bad_payload) +
                        " line(s) with a wrong payload (torn, truncated or merged), first seq " +
                        std::to_string(s.first_bad_seq));
            if (s.untracked)
                failure("stream " + name + ": " + std::to_string(s.untracked) +
                        " line(s) numbered beyond the expected range");
            if (want_.no_missing && s.missing_count > lost_ok)
                failure("stream " + name + ": " + std::to_string(s.missing_count - lost_ok) +
                        " line(s) missing" +
                        (lost_ok ? " outside the allowed loss windows" : std::string()));
            if (want_.no_dups && s.dups)
                failure("stream " + name + ": " + std::to_string(s.dups) + " duplicate line(s)");
            if (want_.max_dup_window && s.max_dup_distance > want_.max_dup_window)
                failure("stream " + name + ": a duplicate repeated a line first delivered " +
                        std::to_string(s.max_dup_distance) +
                        " lines earlier, more than the window " +
                        std::to_string(want_.max_dup_window));
            if (want_.in_order && s.inversions)
                failure("stream " + name + ": " + std::to_string(s.inversions) +
                        " line(s) first delivered after a higher number, first seq " +
                        std::to_string(s.first_inversion_seq));
        }
        if (want_.check_streams && streams_.size() != want_.streams)
            failure("expected " + std::to_string(want_.streams) + " stream(s), found " +
                    std::to_string(streams_.size()));
        if (malformed_ && !want_.allow_malformed) {
            std::string ex;
            for (const auto &e : examples_)
                ex += (ex.empty() ? "\"" : ", \"") + e + "\"";
            failure(std::to_string(malformed_) + " malformed line(s), e.g. " + ex);
        }
        std::printf("TOTAL streams=%zu lines=%llu unique=%llu missing=%llu (tolerated %llu) "
                    "duplicates=%llu inversions=%llu bad_payload=%llu malformed=%llu "
                    "ignored=%llu -> %s\n",
                    streams_.size(), ull(lines), ull(unique), ull(missing), ull(tolerated),
                    ull(dups), ull(inversions), ull(bad), ull(malformed_), ull(ignored_lines_),
                    ok ? "OK" : "FAILED");
        return ok;
    }

    uint64_t total_lines() const { return total_lines_; }

private:
    static unsigned long long ull(uint64_t v) { return static_cast<unsigned long long>(v); }

    bool is_ignored(std::string_view name) const {
        for (const auto &p : ignored_)
            if (name.substr(0, p.size()) == p) return true;
        return false;
    }

    Stream &stream(std::string_view name) {
        // Lines mostly come in runs of one stream: skip the hash lookup for those.
        if (last_ && last_name_ == name) return *last_;
        auto it = streams_.find(name);
        if (it == streams_.end()) {
            it = streams_.emplace(std::string(name), Stream{}).first;
            it->second.key = testline::stream_key(name);
        }
        last_ = &it->second;
        last_name_ = it->first;
        return *last_;
    }

    bool payload_ok(const Stream &s, uint64_t seq, std::string_view payload) {
        const uint64_t len = testline::payload_length(shape_, s.key, seq);
        if (payload.size() != len) return false;
        expected_.clear();
        testline::append_payload(expected_, s.key, seq, len);
        return std::memcmp(expected_.data(), payload.data(), len) == 0;
    }

    void find_missing(Stream &s) const {
        uint64_t last = want_.count ? want_.first_seq + want_.count - 1 : s.max_seq;
        if (want_.count && s.max_seq > last) {
            // Numbers past the expected count are as wrong as garbage numbers.
            for (uint64_t q = last + 1; q <= std::min(s.max_seq, kMaxTrackedSeq); ++q)
                if (q < s.first_at.size() && s.first_at[q]) ++s.untracked;
        }
        for (uint64_t q = want_.first_seq; q <= last; ++q) {
            if (q < s.first_at.size() && s.first_at[q]) continue;
            if (!s.missing.empty() && s.missing.back().last + 1 == q)
                s.missing.back().last = q;
            else
                s.missing.push_back({q, q});
            ++s.missing_count;
        }
        for (uint64_t q = 0; q < want_.first_seq && q < s.first_at.size(); ++q)
            if (s.first_at[q]) ++s.untracked;
    }

    // Missing lines that form a run of at most max_loss_window ending at a multiple of
    // loss_every plus loss_offset: the copytruncate window.
    uint64_t tolerated_loss(const Stream &s) const {
        if (!want_.loss_every) return 0;
        uint64_t n = 0;
        for (const Range &r : s.missing)
            if (r.last % want_.loss_every == want_.loss_offset &&
                r.last - r.first + 1 <= want_.max_loss_window)
                n += r.last - r.first + 1;
        return n;
    }

    void print_stream(const std::string &name, const Stream &s) const {
        std::printf("stream %s: lines=%llu unique=%llu missing=%llu duplicates=%llu "
                    "max_dup_distance=%llu inversions=%llu bad_payload=%llu",
                    name.c_str(), ull(s.lines), ull(s.unique), ull(s.missing_count), ull(s.dups),
                    ull(s.max_dup_distance), ull(s.inversions), ull(s.bad_payload));
        if (s.dups)
            std::printf(" farthest_dup=%llu(after %llu)", ull(s.max_dup_seq), ull(s.max_dup_after));
        if (!s.missing.empty()) {
            std::printf(" missing_ranges=");
            for (size_t i = 0; i < s.missing.size() && i < 12; ++i)
                std::printf("%s%llu-%llu", i ? "," : "", ull(s.missing[i].first),
                            ull(s.missing[i].last));
            if (s.missing.size() > 12) std::printf(",...(%zu ranges)", s.missing.size());
        }
        std::printf("\n");
    }

    testline::Shape shape_;
    Expectations want_;
    std::vector<std::string> ignored_;
    std::unordered_map<std::string, Stream, NameHash, std::equal_to<>> streams_;
    Stream *last_ = nullptr;
    std::string_view last_name_;
    std::string expected_;
    uint64_t total_lines_ = 0, malformed_ = 0, ignored_lines_ = 0;
    std::vector<std::string> examples_;
};

// Feeds every line of `fd` to the checker; a last line without '\n' counts as a line too.
void read_lines(int fd, const std::string &name, Checker &checker) {
    std::vector<char> buf(4 << 20);
    size_t held = 0; // bytes of an unfinished line at the start of buf
    for (;;) {
        if (held == buf.size()) buf.resize(buf.size() * 2); // a line longer than the buffer
        const ssize_t n = ::read(fd, buf.data() + held, buf.size() - held);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw std::runtime_error("cannot read " + name + ": " + std::strerror(errno));
        if (n == 0) break;
        const char *p = buf.data(), *end = buf.data() + held + n;
        while (const char *nl = static_cast<const char *>(std::memchr(p, '\n', end - p))) {
            checker.line(std::string_view(p, nl - p));
            p = nl + 1;
        }
        held = static_cast<size_t>(end - p);
        std::memmove(buf.data(), p, held);
    }
    if (held > 0) checker.line(std::string_view(buf.data(), held));
}

int run(const testtool::Args &args) {
    testline::Shape shape;
    shape.seed = args.num("seed", 1);
    shape.min_len = args.num("min-len", 16);
    shape.max_len = args.num("max-len", 120);
    Expectations want;
    want.first_seq = args.num("first-seq", 1);
    want.count = args.num("expect-count", 0);
    want.check_streams = args.has("expect-streams");
    want.streams = args.num("expect-streams", 0);
    want.no_missing = args.has("exactly-once") || args.has("at-least-once");
    want.no_dups = args.has("exactly-once") || args.has("no-dups");
    want.in_order = args.has("in-order");
    want.max_dup_window = args.num("max-dup-window", 0);
    want.loss_every = args.num("allow-loss-before-every", 0);
    want.max_loss_window = args.num("max-loss-window", 0);
    want.loss_offset = args.num("loss-offset", 0);
    if (want.loss_every && want.loss_offset >= want.loss_every)
        throw std::invalid_argument("--loss-offset must be smaller than --allow-loss-before-every");
    want.check_payload = !args.has("no-payload");
    want.allow_malformed = args.has("allow-malformed");
    if (shape.min_len > shape.max_len) throw std::invalid_argument("--min-len > --max-len");
    if (want.loss_every && !want.max_loss_window)
        throw std::invalid_argument("--allow-loss-before-every needs --max-loss-window");

    Checker checker(shape, want, args.all("ignore-stream"));
    std::vector<std::string> files = args.positional();
    if (files.empty()) files.push_back("-");
    for (const auto &f : files) {
        if (f == "-") {
            read_lines(STDIN_FILENO, "stdin", checker);
            continue;
        }
        const int fd = ::open(f.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) throw std::runtime_error("cannot open " + f + ": " + std::strerror(errno));
        read_lines(fd, f, checker);
        ::close(fd);
    }
    return checker.finish() ? 0 : 1;
}

} // namespace

int main(int argc, char **argv) {
    try {
        testtool::Args args(argc, argv,
                            {"min-len", "max-len", "seed", "first-seq", "expect-count",
                             "expect-streams", "max-dup-window", "allow-loss-before-every",
                             "max-loss-window", "loss-offset", "ignore-stream"},
                            {"no-payload", "exactly-once", "at-least-once", "no-dups", "in-order",
                             "allow-malformed", "help"});
        if (args.has("help")) {
            std::fputs(kUsage, stdout);
            return 0;
        }
        return run(args);
    } catch (const std::invalid_argument &e) {
        std::fprintf(stderr, "mafio-testcheck: %s\n%s", e.what(), kUsage);
        return 2;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "mafio-testcheck: %s\n", e.what());
        return 2;
    }
}
