// filereader:V2 and the agent under a shortage of file descriptors, and what the patterns match
// (issue 16): the default of max_open_files and how an input gives descriptors back and takes
// them again, the log throttle, the agent's soft-limit raise, the scanner telling an
// incomplete scan (EMFILE) from a complete one, and the match warnings' change detection.
#include "../../plugins/filereader/V2/fd_shortage.hpp"
#include "../../plugins/filereader/V2/match_state.hpp"
// The scanner has no host dependency: compiled into this test as it is.
#include "../../plugins/filereader/V2/scanner.cpp"

#include "app/fd_limit.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

using namespace mafio_filereader;

TEST_CASE("filereader V2: max_open_files defaults to the limit minus a reserve") {
    CHECK(default_max_open_files(1024) == 768);
    CHECK(default_max_open_files(256) == 192);
    CHECK(default_max_open_files(65536) == 49152);
    CHECK(default_max_open_files(100) == 36); // the reserve is at least 64
    CHECK(default_max_open_files(64) == 1);   // never 0
    CHECK(default_max_open_files(10) == 1);
    CHECK(default_max_open_files(RLIM_INFINITY) == kMaxOpenFilesCeiling);
}

TEST_CASE("filereader V2: a shortage gives back an eighth of the descriptors, at least 16") {
    CHECK(descriptors_to_give_back(0) == 16);
    CHECK(descriptors_to_give_back(100) == 16);
    CHECK(descriptors_to_give_back(800) == 100);
}

TEST_CASE("filereader V2: a lowered limit grows back only by what is free beyond the reserve") {
    // 256 descriptors, reserve 64: with 230 used, 26 are free: no growth.
    CHECK(regrown_limit(200, 100000, 256, 230) == 200);
    // Another input closed 100: 126 free, 62 beyond the reserve.
    CHECK(regrown_limit(200, 100000, 256, 130) == 262);
    // Never past max_open_files.
    CHECK(regrown_limit(200, 210, 256, 130) == 210);
    CHECK(regrown_limit(300, 300, 4096, 10) == 300);
    // More in use than the limit (it was lowered under the agent): no growth.
    CHECK(regrown_limit(5, 100, 256, 300) == 5);
}

TEST_CASE("filereader V2: the log throttle lets a burst through per window and counts the rest") {
    using namespace std::chrono;
    LogThrottle t(2, seconds(60));
    const auto t0 = LogThrottle::Clock::time_point{} + hours(1);
    CHECK(t.allow(t0));
    CHECK(t.take_suppressed() == 0);
    CHECK(t.allow(t0 + seconds(1)));
    CHECK_FALSE(t.allow(t0 + seconds(2)));
    CHECK_FALSE(t.allow(t0 + seconds(59)));
    CHECK(t.allow(t0 + seconds(61))); // a new window
    CHECK(t.take_suppressed() == 2);
    CHECK(t.take_suppressed() == 0);
}

TEST_CASE("agent: the soft descriptor limit is raised to the hard one") {
    CHECK(mafio::fd_soft_limit_target(1024, 4096, 0) == 4096);
    CHECK(mafio::fd_soft_limit_target(1024, 1024, 0) == 1024);
    // An unlimited hard limit: the kernel's ceiling (setrlimit refuses more).
    CHECK(mafio::fd_soft_limit_target(1024, RLIM_INFINITY, 1048576) == 1048576);
    // Never lowered.
    CHECK(mafio::fd_soft_limit_target(8192, RLIM_INFINITY, 4096) == 8192);
}

namespace {
// Holds every free descriptor (under a lowered soft limit) while alive.
class ExhaustDescriptors {
public:
    ExhaustDescriptors() {
        REQUIRE(::getrlimit(RLIMIT_NOFILE, &saved_) == 0);
        rlimit low = saved_;
        low.rlim_cur = std::min<rlim_t>(saved_.rlim_cur, 512);
        REQUIRE(::setrlimit(RLIMIT_NOFILE, &low) == 0);
        for (;;) {
            const int fd = ::dup(0);
            if (fd < 0) break;
            held_.push_back(fd);
        }
        REQUIRE(errno == EMFILE);
    }
    ~ExhaustDescriptors() {
        for (int fd : held_)
            ::close(fd);
        ::setrlimit(RLIMIT_NOFILE, &saved_);
    }

private:
    rlimit saved_{};
    std::vector<int> held_;
};
} // namespace

TEST_CASE("filereader V2: a scan that cannot open a directory (EMFILE) is incomplete") {
    mafio::test::TempDir dir;
    const std::string a = dir.write("a.log", "x\n");
    const std::string glob = (dir.path() / "*.log").string();
    {
        const ScanResult r = Scanner({glob, a}, {}).scan();
        CHECK(r.complete());
        REQUIRE(r.files.size() == 1);
        CHECK(r.matches_per_pattern == std::vector<size_t>{1, 1});
    }
    {
        ExhaustDescriptors all_taken;
        const ScanResult r = Scanner({glob}, {}).scan();
        CHECK_FALSE(r.complete());
        CHECK(r.shortage == EMFILE);
        CHECK(r.files.empty()); // what it did not see, it does not claim is gone: the caller
                                // checks complete() first
    }
    {
        // A pattern without wildcards needs no directory listing (stat only).
        ExhaustDescriptors all_taken;
        const ScanResult r = Scanner({a}, {}).scan();
        CHECK(r.complete());
        CHECK(r.files.size() == 1);
    }
}

TEST_CASE("filereader V2: the scanner names matches that are not regular files") {
    mafio::test::TempDir dir;
    dir.write("a.log", "x\n");
    const std::string sub = (dir.path() / "sub.log").string();
    const std::string fifo = (dir.path() / "p.log").string();
    REQUIRE(::mkdir(sub.c_str(), 0755) == 0);
    REQUIRE(::mkfifo(fifo.c_str(), 0644) == 0);
    // A wildcard over a directory with a subdirectory: the FIFO is named, the directory is not.
    ScanResult r = Scanner({(dir.path() / "*.log").string()}, {}).scan();
    CHECK(r.files.size() == 1);
    REQUIRE(r.not_regular.size() == 1);
    CHECK(r.not_regular[0].path == fifo);
    CHECK(std::string(r.not_regular[0].what) == "a FIFO (named pipe)");
    // A directory named exactly is reported, and its pattern matches no regular file.
    r = Scanner({sub}, {}).scan();
    REQUIRE(r.not_regular.size() == 1);
    CHECK(std::string(r.not_regular[0].what) == "a directory");
    CHECK(r.matches_per_pattern == std::vector<size_t>{0});
}

TEST_CASE("filereader V2: match warnings change only when the condition does") {
    MatchState s;
    // First scan: pattern 0 matches nothing, pattern 1 matches.
    auto c = s.update({0, 3}, {});
    CHECK(c.now_empty == std::vector<size_t>{0});
    CHECK(c.now_matching.empty());
    CHECK(s.empty_patterns() == 1);
    // The same again: nothing to say.
    c = s.update({0, 2}, {});
    CHECK(c.now_empty.empty());
    CHECK(c.now_matching.empty());
    // Pattern 0 matches now, pattern 1 no longer.
    c = s.update({1, 0}, {});
    CHECK(c.now_matching == std::vector<size_t>{0});
    CHECK(c.now_empty == std::vector<size_t>{1});
    // Not-regular matches: appear once, go once.
    const NotRegular d{"/x/d", "a directory"}, f{"/x/f", "a FIFO (named pipe)"};
    c = s.update({1, 0}, {d, f});
    CHECK(c.appeared.size() == 2);
    CHECK(s.not_regular() == 2);
    c = s.update({1, 0}, {d, f});
    CHECK(c.appeared.empty());
    CHECK(c.went.empty());
    c = s.update({1, 0}, {f});
    REQUIRE(c.went.size() == 1);
    CHECK(c.went[0].path == "/x/d");
    CHECK(s.not_regular() == 1);
}
