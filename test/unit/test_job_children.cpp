// The child-process piece shared by exec:V1 and command:V1 (plugins/common/child_*.hpp) and
// command:V1's pure parts (argv template, retry memo, dead-letter lines): a child gets only
// fds 0-2, its own process group, default signals; stop() takes its whole group down and reaps
// it; exit status, output splitting and PATH lookup.
#include "../../plugins/command/V1/argv_template.hpp"
#include "../../plugins/command/V1/dead_letter.hpp"
#include "../../plugins/command/V1/retry_memo.hpp"
#include "../../plugins/common/child_env.hpp"
#include "../../plugins/common/child_output.hpp"
#include "../../plugins/common/child_process.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

using mafio_plugins::ChildProcess;
using mafio_plugins::ChildSpec;

namespace {

ChildSpec sh(const std::string &script) {
    return ChildSpec{"/bin/sh", {"/bin/sh", "-c", script}, {"PATH=/usr/bin:/bin"}, ""};
}

// Everything the child writes to stdout, until EOF.
std::string read_all(int fd) {
    std::string all, chunk;
    for (;;) {
        pollfd p{fd, POLLIN, 0};
        REQUIRE(::poll(&p, 1, 10000) == 1);
        const ssize_t n = mafio_plugins::read_some(fd, chunk, 4096);
        if (n == 0) return all;
        if (n > 0) all += chunk;
    }
}

mafio_plugins::ChildExit wait_and_reap(ChildProcess &c) {
    for (int i = 0; i < 1000 && !c.exited(); ++i) {
        pollfd p{c.exit_fd(), POLLIN, 0};
        ::poll(&p, 1, 10);
    }
    REQUIRE(c.exited());
    return c.reap();
}

bool alive(pid_t pid) {
    return ::kill(pid, 0) == 0;
}

} // namespace

TEST_CASE("a child gets fds 0-2 only, its own process group, its env and cwd") {
    mafio::test::TempDir dir;
    // A descriptor of ours without O_CLOEXEC must not reach the child.
    const int leaked = ::open("/dev/null", O_RDONLY);
    REQUIRE(leaked >= 3);
    ChildProcess c;
    // ls lists the descriptors of the shell, which holds no pipe of its own meanwhile.
    ChildSpec spec = sh("ls /proc/$$/fd; echo $JOB; pwd; ps -o pgid= -p $$ | tr -d ' '; echo $$");
    spec.env.push_back("JOB=unit");
    spec.cwd = dir.path().string();
    REQUIRE(c.start(spec).empty());
    const std::string out = read_all(c.stdout_fd());
    const auto e = wait_and_reap(c);
    ::close(leaked);
    CHECK(e.code == 0);
    std::vector<std::string> lines;
    size_t from = 0;
    for (size_t nl; (nl = out.find('\n', from)) != std::string::npos; from = nl + 1)
        lines.push_back(out.substr(from, nl - from));
    REQUIRE(lines.size() == 7);
    CHECK(lines[0] == "0");
    CHECK(lines[1] == "1");
    CHECK(lines[2] == "2");
    CHECK(lines[3] == "unit");
    CHECK(lines[4] == dir.path().string());
    CHECK(lines[5] == lines[6]); // the shell leads its own process group
}

TEST_CASE("exit codes and signals are reported; a missing program fails to start") {
    ChildProcess c;
    REQUIRE(c.start(sh("exit 7")).empty());
    auto e = wait_and_reap(c);
    CHECK(e.code == 7);
    CHECK(e.signal == 0);
    CHECK(mafio_plugins::describe_exit(e, false, 0) == "exit code 7");

    REQUIRE(c.start(sh("kill -KILL $$")).empty());
    e = wait_and_reap(c);
    CHECK(e.code == -1);
    CHECK(e.signal == SIGKILL);
    CHECK(mafio_plugins::describe_exit(e, true, 2) ==
          "timed out after 2 s, killed by signal 9 (SIGKILL)");

    ChildSpec missing{"/nonexistent/prog", {"prog"}, {}, ""};
    CHECK_FALSE(c.start(missing).empty());
    CHECK_FALSE(c.running());
}

TEST_CASE("stop() ends the child and every process of its group, and reaps the child") {
    ChildProcess c;
    // The shell starts a background sleep (same group) and prints its pid.
    REQUIRE(c.start(sh("sleep 1000 & echo $!; wait")).empty());
    std::string line, chunk;
    while (line.find('\n') == std::string::npos) {
        pollfd p{c.stdout_fd(), POLLIN, 0};
        REQUIRE(::poll(&p, 1, 10000) == 1);
        if (mafio_plugins::read_some(c.stdout_fd(), chunk, 64) > 0) line += chunk;
    }
    const pid_t grandchild = static_cast<pid_t>(std::stol(line));
    const pid_t child = c.pid();
    REQUIRE(alive(grandchild));
    const auto e = c.stop(std::chrono::milliseconds(2000));
    CHECK(e.signal == SIGTERM);
    CHECK_FALSE(c.running());
    CHECK(::waitpid(child, nullptr, WNOHANG) < 0); // reaped: not our child any more
    // The grandchild was re-parented; it is gone once init reaps it.
    for (int i = 0; i < 500 && alive(grandchild); ++i)
        ::usleep(10000);
    CHECK_FALSE(alive(grandchild));
}

TEST_CASE("a child ignoring SIGTERM is killed after the grace") {
    ChildProcess c;
    REQUIRE(c.start(sh("trap '' TERM; echo ready; while :; do sleep 0.05; done")).empty());
    std::string chunk;
    pollfd p{c.stdout_fd(), POLLIN, 0};
    REQUIRE(::poll(&p, 1, 10000) == 1);
    const auto e = c.stop(std::chrono::milliseconds(100));
    CHECK(e.signal == SIGKILL);
}

TEST_CASE("output lines are split, bounded and the last one kept") {
    mafio_plugins::OutputLines lines(8);
    std::vector<std::string> got;
    auto add = [&](std::string_view l) { got.emplace_back(l); };
    lines.feed("ab\ncd", add);
    lines.feed("e\n0123456789abc\n", add);
    lines.feed("tail", add);
    lines.finish(add);
    CHECK(got == std::vector<std::string>{"ab", "cde", "01234567", "89abc", "tail"});
}

TEST_CASE("the program is found in the child's PATH") {
    CHECK(mafio_plugins::find_executable("sh", "/nonexistent:/bin") == "/bin/sh");
    CHECK(mafio_plugins::find_executable("/bin/sh", "") == "/bin/sh");
    CHECK(mafio_plugins::find_executable("no-such-program-mafio", "/bin:/usr/bin").empty());
    mafio::test::TempDir dir;
    const std::string plain = (dir.path() / "plain").string();
    std::ofstream(plain) << "#!/bin/sh\n";
    ::chmod(plain.c_str(), 0644);
    CHECK(mafio_plugins::find_executable(plain, "").empty()); // not executable
    CHECK(mafio_plugins::find_executable("plain", dir.path().string()).empty());
    ::chmod(plain.c_str(), 0755);
    CHECK(mafio_plugins::find_executable("plain", dir.path().string()) == plain);
}

TEST_CASE("argv templates put the record into one argument") {
    const std::vector<std::string> t = {"/bin/job", "--name={record}", "{record}{record}", "x"};
    CHECK(command_v1::expand(t, "a b; c") ==
          std::vector<std::string>{"/bin/job", "--name=a b; c", "a b; ca b; c", "x"});
    CHECK(command_v1::mentions_record(t));
    CHECK_FALSE(command_v1::mentions_record({"echo", "{rec}"}));
}

TEST_CASE("the retry memo remembers records of one batch only, by index and bytes") {
    command_v1::RetryMemo memo;
    mafio_batch a{}, b{};
    memo.use(&a);
    memo.remember(3, "touch x");
    CHECK(memo.done(3, "touch x"));
    CHECK_FALSE(memo.done(3, "touch y"));
    CHECK_FALSE(memo.done(2, "touch x"));
    memo.use(&b);
    CHECK_FALSE(memo.done(3, "touch x"));
}

TEST_CASE("dead-letter lines are JSON with the record escaped") {
    mafio_plugins::ChildExit e;
    e.code = 3;
    const std::string line =
        command_v1::dead_letter_line("say \"hi\"\\\t\x01", e, false, 1700000000);
    CHECK(line == "{\"time\":\"2023-11-14T22:13:20Z\",\"record\":\"say \\\"hi\\\"\\\\\\t"
                  "\\u0001\",\"exit_code\":3,\"signal\":null,\"timed_out\":false}\n");
}
