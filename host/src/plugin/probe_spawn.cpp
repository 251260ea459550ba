// The parent side of plugin inspection: children of the mafio binary itself, each loading one
// file (inspect_child.cpp), read through a pipe and bounded in time.
#include "plugin/crash_guard.hpp"
#include "plugin/plugin_probe.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace mafio {

namespace {

using Clock = std::chrono::steady_clock;

// More than any real result (the options schema is the big part); the rest is dropped.
constexpr size_t kMaxOutput = 4 << 20;

struct Child {
    size_t index = 0; // into files / results
    pid_t pid = -1;
    int fd = -1; // read end of the child's stdout; -1 after EOF
    std::string out;
    Clock::time_point deadline;
};

// posix_spawn, not fork: the agent is multi-threaded (fork would copy locks held by other
// threads), and glibc's posix_spawn reports a failed exec as an error instead of a child.
pid_t spawn_inspector(const std::string &exe, const std::string &path, int &read_fd,
                      std::string &error) {
    int p[2];
    if (::pipe2(p, O_CLOEXEC) != 0) {
        error = std::strerror(errno);
        return -1;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, p[1], STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
    // The agent's sockets and files without O_CLOEXEC (a plugin's, say) stay out of the child.
    posix_spawn_file_actions_addclosefrom_np(&fa, 3);
#endif
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    // The agent blocks SIGTERM/SIGINT and ignores SIGPIPE; the child starts with neither. Its
    // own process group lets a hung child be killed together with whatever it started.
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
                                        POSIX_SPAWN_SETPGROUP);
    std::string flag = "-inspect-plugin";
    std::string arg0 = "mafio";
    char *argv[] = {arg0.data(), flag.data(), const_cast<char *>(path.c_str()), nullptr};
    pid_t pid = -1;
    int rc = ::posix_spawn(&pid, exe.c_str(), &fa, &attr, argv, environ);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
    ::close(p[1]);
    if (rc != 0) {
        ::close(p[0]);
        error = fmt::format("cannot start {} to inspect it: {}", exe, std::strerror(rc));
        return -1;
    }
    ::fcntl(p[0], F_SETFL, ::fcntl(p[0], F_GETFL) | O_NONBLOCK);
    read_fd = p[0];
    return pid;
}

void drain(Child &c) {
    char buf[16384];
    for (;;) {
        ssize_t n = ::read(c.fd, buf, sizeof buf);
        if (n > 0) {
            if (c.out.size() < kMaxOutput) c.out.append(buf, static_cast<size_t>(n));
            continue;
        }
        if (n < 0 && (errno == EINTR)) continue;
        if (n < 0 && errno == EAGAIN) return;
        ::close(c.fd); // EOF (or an error: nothing more will come)
        c.fd = -1;
        return;
    }
}

void kill_child(const Child &c) {
    ::kill(-c.pid, SIGKILL); // its process group: what it started too
    ::kill(c.pid, SIGKILL);
}

// The last line of the child's output that parses, or the failure.
PluginProbe result_of(const Child &c, const PluginFile &f, int status, bool timed_out,
                      std::chrono::milliseconds bound) {
    PluginProbe p;
    bool parsed = false;
    if (!timed_out && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        std::string_view out = c.out;
        while (!out.empty() && out.back() == '\n')
            out.remove_suffix(1);
        size_t nl = out.rfind('\n');
        if (auto got = probe_from_json(nl == std::string_view::npos ? out : out.substr(nl + 1))) {
            p = std::move(*got);
            parsed = true;
        }
    }
    if (!parsed) p.refused = child_failure(status, timed_out, bound);
    p.name = f.name;
    p.tag = f.tag;
    p.path = f.path;
    return p;
}

} // namespace

std::string child_failure(int status, bool timed_out, std::chrono::milliseconds bound) {
    if (timed_out)
        return fmt::format("did not finish loading within {:g} s (a constructor or its entry "
                           "function hangs); the inspection was stopped",
                           static_cast<double>(bound.count()) / 1000.0);
    if (WIFSIGNALED(status)) {
        const int sig = WTERMSIG(status);
        const char *abbrev = signal_abbrev(sig);
        return abbrev ? fmt::format("crashed while loading: signal {} ({})", sig, abbrev)
                      : fmt::format("crashed while loading: signal {}", sig);
    }
    if (WIFEXITED(status))
        return fmt::format("inspection failed: the inspecting process exited with status {} "
                           "and no result",
                           WEXITSTATUS(status));
    return "inspection failed";
}

std::vector<PluginProbe> probe_plugin_files(const std::vector<PluginFile> &files,
                                            const ProbeLimits &limits,
                                            const std::atomic<bool> *stop) {
    std::vector<PluginProbe> results(files.size());
    std::vector<Child> running;
    size_t next = 0;
    auto stopping = [&] { return stop && stop->load(); };
    auto finish = [&](Child &c, int status, bool timed_out) {
        results[c.index] = result_of(c, files[c.index], status, timed_out, limits.per_file);
        if (c.fd >= 0) ::close(c.fd);
        c.pid = -1;
    };

    while (next < files.size() || !running.empty()) {
        while (!stopping() && running.size() < std::max(1u, limits.parallel) &&
               next < files.size()) {
            Child c;
            c.index = next++;
            std::string error;
            c.pid = spawn_inspector(limits.executable, files[c.index].path, c.fd, error);
            if (c.pid < 0) {
                results[c.index] = {files[c.index].name,
                                    files[c.index].tag,
                                    files[c.index].path,
                                    "",
                                    "",
                                    "",
                                    "",
                                    std::nullopt,
                                    error};
                continue;
            }
            c.deadline = Clock::now() + limits.per_file;
            running.push_back(std::move(c));
        }
        if (stopping()) {
            for (auto &c : running) {
                kill_child(c);
                int status = 0;
                ::waitpid(c.pid, &status, 0);
                finish(c, status, false);
                results[c.index].refused = "not inspected: the agent is stopping";
            }
            running.clear();
            for (; next < files.size(); ++next)
                results[next] = {files[next].name,
                                 files[next].tag,
                                 files[next].path,
                                 "",
                                 "",
                                 "",
                                 "",
                                 std::nullopt,
                                 "not inspected: the agent is stopping"};
            break;
        }

        // Wait for output, an exit or a deadline; a short tick while an exit is due (EOF seen),
        // otherwise at most 100 ms so that `stop` is noticed.
        std::vector<pollfd> fds;
        bool exit_due = false;
        Clock::time_point soonest = Clock::now() + std::chrono::milliseconds(100);
        for (const auto &c : running) {
            if (c.fd >= 0)
                fds.push_back({c.fd, POLLIN, 0});
            else
                exit_due = true;
            soonest = std::min(soonest, c.deadline);
        }
        auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(soonest - Clock::now());
        int timeout = exit_due ? 1 : static_cast<int>(std::max<int64_t>(0, wait.count()));
        ::poll(fds.data(), fds.size(), timeout);

        for (auto &c : running)
            if (c.fd >= 0) drain(c);
        const auto now = Clock::now();
        for (auto &c : running) {
            int status = 0;
            pid_t r = ::waitpid(c.pid, &status, WNOHANG);
            if (r == c.pid || (r < 0 && errno == ECHILD)) { // ECHILD: reaped elsewhere
                if (c.fd >= 0) drain(c);                    // what it wrote just before exiting
                finish(c, status, false);
            } else if (now >= c.deadline) {
                kill_child(c);
                ::waitpid(c.pid, &status, 0);
                finish(c, status, true);
            }
        }
        running.erase(std::remove_if(running.begin(), running.end(),
                                     [](const Child &c) { return c.pid < 0; }),
                      running.end());
    }
    return results;
}

} // namespace mafio
