// The agent's log lines: timestamped on a terminal or file, bare (with a syslog priority) when
// stderr is the systemd journal, which stamps each line itself.
#include "temp_dir.hpp"
#include "util/log.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <regex>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

using namespace mafio;

namespace {

std::string dev_ino(int fd) {
    struct stat st {};
    REQUIRE(::fstat(fd, &st) == 0);
    return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
}

struct OpenFile {
    explicit OpenFile(const std::string &path) : fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
        REQUIRE(fd >= 0);
    }
    ~OpenFile() { ::close(fd); }
    int fd;
};

// Puts the process-wide setting back whatever a test did to it.
struct RestoreTimestamps {
    bool was = log::timestamps();
    ~RestoreTimestamps() { log::set_timestamps(was); }
};

} // namespace

TEST_CASE("JOURNAL_STREAM counts only when it names the descriptor's own file", "[log]") {
    test::TempDir dir;
    OpenFile a(dir.write("a", "")), b(dir.write("b", ""));
    const std::string a_id = dev_ino(a.fd);
    CHECK(log::is_journal_stream(a_id.c_str(), a.fd));
    // Inherited from a parent whose stderr was the journal, but this stderr is another file.
    CHECK_FALSE(log::is_journal_stream(a_id.c_str(), b.fd));
    CHECK_FALSE(log::is_journal_stream(nullptr, a.fd));
    for (const char *bad : {"", ":", "1:", ":2", "12", "1:2x", "x1:2", "-1:2", "1:2:3"})
        CHECK_FALSE(log::is_journal_stream(bad, a.fd));
    // An inode alone matching is not enough: the device must match too.
    struct stat st {};
    REQUIRE(::fstat(a.fd, &st) == 0);
    const std::string other_dev = std::to_string(st.st_dev + 1) + ":" + std::to_string(st.st_ino);
    CHECK_FALSE(log::is_journal_stream(other_dev.c_str(), a.fd));
}

TEST_CASE("lines to the journal carry a priority and no timestamp", "[log]") {
    RestoreTimestamps restore;
    log::set_timestamps(false);
    CHECK(log::format_line(log::Level::error, "", "boom") == "<3>error boom\n");
    CHECK(log::format_line(log::Level::warn, "outputs[0]", "slow") ==
          "<4>warn  [outputs[0]] slow\n");
    CHECK(log::format_line(log::Level::info, "", "up") == "<6>info  up\n");
    CHECK(log::format_line(log::Level::debug, "", "x") == "<7>debug x\n");
}

TEST_CASE("lines elsewhere start with a UTC timestamp", "[log]") {
    RestoreTimestamps restore;
    log::set_timestamps(true);
    const std::string line = log::format_line(log::Level::info, "in", "hello");
    CHECK(std::regex_match(
        line, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info  \[in\] hello\n)")));
}
