// mafio-testwriter: writes numbered test lines (see line_format.hpp) the way real loggers do,
// including the awkward parts a file tailer must survive: rename rotation noticed late,
// copytruncate, and lines that reach the file in pieces.
#include "args.hpp"
#include "line_format.hpp"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <stdexcept>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

const char *kUsage = R"(usage: mafio-testwriter --path FILE [options]
Appends lines "<stream>:<seq>:<payload>\n" to FILE (created if missing).
  --stream NAME            stream name (default: the file's base name); with --files, NAME<i>
  --files N                write N files: FILE must contain "{}", replaced by 0..N-1 (default 1)
  --count N                lines per file (default 1000)
  --start SEQ              first sequence number (default 1)
  --min-len B --max-len B  payload length range in bytes (default 16..120)
  --seed S                 seed of the payload lengths (default 1)
  --rate LPS               lines per second over all files (default 0: as fast as possible)
  --rotate-every N         after each line (but the last) whose seq is a multiple of N, rename
                           FILE.k to FILE.k+1 (k descending) and FILE to FILE.1 ...
  --rotate-lag K           ... then write K more lines to the renamed file before reopening FILE
  --copytruncate-every N   after each line (but the last) whose seq is a multiple of N, copy
                           FILE to FILE.1 (older copies shifted up) and truncate FILE to 0 ...
  --copytruncate-gap K     ... K lines later, as a logger keeps writing while logrotate copies:
                           those K lines are in neither the copy nor the truncated file
  --split-writes           write each line in 2 or 3 write() calls ...
  --split-pause-ms MS      ... with MS milliseconds between them (default 100)
  --hold-last              write only the first half of the last line (no newline)
  --complete-first         start with the second half of line --start (after --hold-last)
Prints one summary line to stderr.
)";

using Clock = std::chrono::steady_clock;

[[noreturn]] void die(const std::string &what) {
    throw std::runtime_error(what + ": " + std::strerror(errno));
}

void write_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        const ssize_t w = ::write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) die("write");
        p += w;
        n -= static_cast<size_t>(w);
    }
}

int open_append(const std::string &path) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) die("open " + path);
    return fd;
}

bool exists(const std::string &path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

// Moves FILE.k to FILE.k+1 for every existing k, highest first, so that FILE.1 is free.
void shift_old_files(const std::string &path) {
    int last = 0;
    while (exists(path + "." + std::to_string(last + 1)))
        ++last;
    for (int k = last; k >= 1; --k)
        if (::rename((path + "." + std::to_string(k)).c_str(),
                     (path + "." + std::to_string(k + 1)).c_str()) != 0)
            die("rename " + path + "." + std::to_string(k));
}

void copy_file(const std::string &from, const std::string &to) {
    const int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
    if (in < 0) die("open " + from);
    const int out = ::open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out < 0) die("create " + to);
    std::vector<char> buf(1 << 20);
    for (;;) {
        const ssize_t n = ::read(in, buf.data(), buf.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) die("read " + from);
        if (n == 0) break;
        write_all(out, buf.data(), static_cast<size_t>(n));
    }
    ::close(in);
    ::close(out);
}

struct Settings {
    testline::Shape shape;
    uint64_t count = 1000, start = 1, rate = 0;
    uint64_t rotate_every = 0, rotate_lag = 0, copytruncate_every = 0, copytruncate_gap = 0;
    bool split = false, hold_last = false, complete_first = false;
    std::chrono::milliseconds split_pause{100};
};

// One output file: its stream, its descriptor and what is buffered for it. Lines are buffered
// (one write() per 64 KiB) unless they must be split; the buffer is always flushed before a
// rename or truncate so that those happen exactly between two lines.
class Target {
public:
    Target(std::string path, std::string stream, const Settings &s)
        : path_(std::move(path)), stream_(std::move(stream)), key_(testline::stream_key(stream_)),
          s_(s), fd_(open_append(path_)) {}
    ~Target() {
        if (fd_ >= 0) ::close(fd_);
    }
    Target(const Target &) = delete;
    Target &operator=(const Target &) = delete;

    void write_line(uint64_t seq, bool last) {
        std::string line = testline::make_line(s_.shape, stream_, key_, seq);
        size_t from = 0, to = line.size();
        const size_t half = line.size() / 2;
        if (s_.complete_first && seq == s_.start) from = half;
        if (s_.hold_last && last) to = half;
        if (s_.split)
            write_in_pieces(line.data() + from, to - from);
        else
            buffer_.append(line, from, to - from);
        if (buffer_.size() >= (64u << 10)) flush();
        bytes_ += to - from;
        if (!last) after_line(seq); // a rotation after the very last line would test nothing
    }

    void flush() {
        write_all(fd_, buffer_.data(), buffer_.size());
        buffer_.clear();
    }

    uint64_t bytes() const { return bytes_; }
    uint64_t rotations() const { return rotations_; }

private:
    void write_in_pieces(const char *p, size_t n) {
        flush();
        const size_t pieces = n >= 3 ? 2 + (n % 2) : 1; // 2 or 3 pieces, varying line by line
        for (size_t i = 0; i < pieces; ++i) {
            const size_t from = n * i / pieces, to = n * (i + 1) / pieces;
            write_all(fd_, p + from, to - from);
            if (i + 1 < pieces) std::this_thread::sleep_for(s_.split_pause);
        }
    }

    void after_line(uint64_t seq) {
        if (lag_left_ > 0 && --lag_left_ == 0) reopen();
        if (s_.rotate_every && seq % s_.rotate_every == 0) rename_rotate();
        if (s_.copytruncate_every && seq % s_.copytruncate_every == 0) copy();
        if (s_.copytruncate_every && seq % s_.copytruncate_every == s_.copytruncate_gap &&
            seq > s_.copytruncate_gap)
            truncate();
    }

    void rename_rotate() {
        flush();
        shift_old_files(path_);
        if (::rename(path_.c_str(), (path_ + ".1").c_str()) != 0) die("rename " + path_);
        ++rotations_;
        // A logger notices the rename late: it keeps writing to the old file for a while.
        if (s_.rotate_lag == 0)
            reopen();
        else
            lag_left_ = s_.rotate_lag;
    }

    void reopen() {
        flush();
        ::close(fd_);
        fd_ = open_append(path_);
    }

    void copy() {
        flush();
        shift_old_files(path_);
        copy_file(path_, path_ + ".1");
        ++rotations_;
    }

    void truncate() {
        flush();
        if (::ftruncate(fd_, 0) != 0) die("truncate " + path_);
    }

    std::string path_, stream_;
    uint64_t key_;
    const Settings &s_;
    int fd_;
    std::string buffer_;
    uint64_t bytes_ = 0, rotations_ = 0, lag_left_ = 0;
};

std::string base_name(const std::string &path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

int run(const testtool::Args &args) {
    Settings s;
    s.shape.seed = args.num("seed", 1);
    s.shape.min_len = args.num("min-len", 16);
    s.shape.max_len = args.num("max-len", 120);
    s.count = args.num("count", 1000);
    s.start = args.num("start", 1);
    s.rate = args.num("rate", 0);
    s.rotate_every = args.num("rotate-every", 0);
    s.rotate_lag = args.num("rotate-lag", 0);
    s.copytruncate_every = args.num("copytruncate-every", 0);
    s.copytruncate_gap = args.num("copytruncate-gap", 0);
    s.split = args.has("split-writes");
    s.split_pause = std::chrono::milliseconds(args.num("split-pause-ms", 100));
    s.hold_last = args.has("hold-last");
    s.complete_first = args.has("complete-first");
    const uint64_t files = args.num("files", 1);
    const std::string path = args.str("path");
    if (path.empty()) throw std::invalid_argument("--path is required");
    if (s.shape.min_len > s.shape.max_len) throw std::invalid_argument("--min-len > --max-len");
    if (s.rotate_every && s.rotate_lag >= s.rotate_every)
        throw std::invalid_argument("--rotate-lag must be smaller than --rotate-every");
    if (s.copytruncate_every && s.copytruncate_gap >= s.copytruncate_every)
        throw std::invalid_argument("--copytruncate-gap must be smaller than --copytruncate-every");
    const auto braces = path.find("{}");
    if (files > 1 && braces == std::string::npos)
        throw std::invalid_argument("--files needs a --path containing {}");

    std::vector<std::unique_ptr<Target>> targets;
    for (uint64_t i = 0; i < files; ++i) {
        std::string p = path;
        if (braces != std::string::npos) p.replace(braces, 2, std::to_string(i));
        std::string stream = args.str("stream", base_name(files > 1 ? p : path));
        if (files > 1 && args.has("stream")) stream += std::to_string(i);
        targets.push_back(std::make_unique<Target>(p, stream, s));
    }

    // Lines go round-robin over the files, paced by --rate in 10 ms ticks.
    const auto begin = Clock::now();
    uint64_t written = 0;
    for (uint64_t seq = s.start; seq < s.start + s.count; ++seq) {
        for (auto &t : targets) {
            t->write_line(seq, seq + 1 == s.start + s.count);
            ++written;
            if (s.rate && written % 1000 == 0) {
                for (auto &f : targets)
                    f->flush();
                const auto due = begin + std::chrono::microseconds(written * 1000000 / s.rate);
                std::this_thread::sleep_until(due);
            }
        }
    }
    uint64_t bytes = 0, rotations = 0;
    for (auto &t : targets) {
        t->flush();
        bytes += t->bytes();
        rotations += t->rotations();
    }
    const double secs = std::chrono::duration<double>(Clock::now() - begin).count();
    std::fprintf(stderr,
                 "mafio-testwriter: wrote %llu lines (%llu bytes) to %llu file(s), "
                 "%llu rotation(s), in %.2f s\n",
                 static_cast<unsigned long long>(written), static_cast<unsigned long long>(bytes),
                 static_cast<unsigned long long>(files), static_cast<unsigned long long>(rotations),
                 secs);
    return 0;
}

} // namespace

int main(int argc, char **argv) {
    try {
        testtool::Args args(argc, argv,
                            {"path", "stream", "files", "count", "start", "min-len", "max-len",
                             "seed", "rate", "rotate-every", "rotate-lag", "copytruncate-every",
                             "copytruncate-gap", "split-pause-ms"},
                            {"split-writes", "hold-last", "complete-first", "help"});
        if (args.has("help")) {
            std::fputs(kUsage, stdout);
            return 0;
        }
        return run(args);
    } catch (const std::invalid_argument &e) {
        std::fprintf(stderr, "mafio-testwriter: %s\n%s", e.what(), kUsage);
        return 2;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "mafio-testwriter: %s\n", e.what());
        return 1;
    }
}
