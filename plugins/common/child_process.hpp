// One child process of a job plugin (exec:V1, command:V1): started in a process group of its
// own with nothing of the agent's but what it is given, its stdout and stderr on non-blocking
// pipes, and stopped together with everything it started.
//
// Why these choices:
//   - posix_spawn, not fork: the agent is multi-threaded (fork would copy locks other threads
//     hold), and glibc's posix_spawn reports a failed exec or chdir as an error, not a child.
//   - A new process group (pgid = the child's pid): a timeout or a shutdown signals the group, so
//     `sh -c "sleep 100"` loses its `sleep` too.
//   - Every descriptor but 0, 1, 2 is closed in the child (closefrom), whether or not whoever
//     opened it set O_CLOEXEC; stdin is /dev/null.
//   - The signal mask is emptied and every signal set to its default: the agent blocks SIGTERM
//     and SIGINT and ignores SIGPIPE, and a child would inherit both.
//   - The exit is observed without reaping (waitid WNOWAIT), so the pid, and with it the process
//     group id, stays reserved while the group may still be signalled: a signal to the group can
//     never reach an unrelated process that got the number after it was freed. Reaping first
//     kills what the command left running in its group.
//   - A pidfd (Linux 5.3) becomes readable when the child exits, so an input can sleep on it
//     (mafio.fd.v1) instead of polling waitpid.
#pragma once

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <string>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace mafio_plugins {

// What to run. `path` is the executable itself (resolved beforehand, find_executable).
struct ChildSpec {
    std::string path;
    std::vector<std::string> argv;
    std::vector<std::string> env; // "NAME=value"
    std::string cwd;              // "" keeps the agent's
};

// How a child ended.
struct ChildExit {
    int code = -1;  // exit code, -1 when killed by a signal
    int signal = 0; // the signal that ended it, 0 when it exited
    bool ok() const { return code == 0; }
};

class ChildProcess {
public:
    ChildProcess() = default;
    ~ChildProcess() { stop(std::chrono::milliseconds(0)); }
    ChildProcess(const ChildProcess &) = delete;
    ChildProcess &operator=(const ChildProcess &) = delete;

    // Starts the child. Returns "" or why it could not start (e.g. "No such file or directory").
    std::string start(const ChildSpec &spec) {
        stop(std::chrono::milliseconds(0));
        int out[2], err[2];
        if (::pipe2(out, O_CLOEXEC) != 0) return std::strerror(errno);
        if (::pipe2(err, O_CLOEXEC) != 0) {
            const int e = errno;
            close_pair(out);
            return std::strerror(e);
        }
        std::vector<char *> argv = pointers(spec.argv), envp = pointers(spec.env);
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
        posix_spawn_file_actions_adddup2(&fa, err[1], STDERR_FILENO);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
        posix_spawn_file_actions_addclosefrom_np(&fa, 3);
#endif // elsewhere (musl) only descriptors opened with O_CLOEXEC stay out, as the agent's do
        if (!spec.cwd.empty()) posix_spawn_file_actions_addchdir_np(&fa, spec.cwd.c_str());
        posix_spawnattr_t attr;
        posix_spawnattr_init(&attr);
        sigset_t none, all;
        sigemptyset(&none);
        sigfillset(&all);
        posix_spawnattr_setsigmask(&attr, &none);
        posix_spawnattr_setsigdefault(&attr, &all);
        posix_spawnattr_setpgroup(&attr, 0);
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
                                            POSIX_SPAWN_SETPGROUP);
        pid_t pid = -1;
        const int rc = ::posix_spawn(&pid, spec.path.c_str(), &fa, &attr, argv.data(), envp.data());
        posix_spawnattr_destroy(&attr);
        posix_spawn_file_actions_destroy(&fa);
        ::close(out[1]);
        ::close(err[1]);
        if (rc != 0) {
            ::close(out[0]);
            ::close(err[0]);
            return std::strerror(rc);
        }
        pid_ = pid;
        exited_ = false;
        out_fd_ = nonblocking(out[0]);
        err_fd_ = nonblocking(err[0]);
        exit_fd_ = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)); // -1: poll waitid
        started_ = std::chrono::steady_clock::now();
        return {};
    }

    bool running() const {
        return pid_ > 0;
    }
    pid_t pid() const {
        return pid_;
    }
    int stdout_fd() const {
        return out_fd_;
    }
    int stderr_fd() const {
        return err_fd_;
    }
    // Readable once the child has exited; -1 without pidfd support (then poll exited()).
    int exit_fd() const {
        return exit_fd_;
    }
    std::chrono::steady_clock::time_point started() const {
        return started_;
    }

    void close_stdout() {
        close_fd(out_fd_);
    }
    void close_stderr() {
        close_fd(err_fd_);
    }

    // True once the child has exited (it is not reaped yet: see the top of this file).
    bool exited() {
        if (pid_ <= 0 || exited_) return true;
        siginfo_t info{};
        if (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
            info.si_pid == pid_)
            exited_ = true;
        return exited_;
    }

    // Signals the child and its process group (and the child itself, in case it left the group).
    void signal_group(int sig) const {
        if (pid_ <= 0) return;
        ::kill(-pid_, sig);
        ::kill(pid_, sig);
    }

    // Once exited(): kills what the child left running in its group, reaps it, closes its
    // descriptors, and says how it ended.
    ChildExit reap() {
        ChildExit e;
        if (pid_ <= 0) return e;
        ::kill(-pid_, SIGKILL); // leftovers only: the child itself is a zombie by now
        int status = 0;
        pid_t r;
        do {
            r = ::waitpid(pid_, &status, 0);
        } while (r < 0 && errno == EINTR);
        if (r == pid_) {
            if (WIFEXITED(status)) e.code = WEXITSTATUS(status);
            if (WIFSIGNALED(status)) e.signal = WTERMSIG(status);
        }
        pid_ = -1;
        exited_ = false;
        close_fd(out_fd_);
        close_fd(err_fd_);
        close_fd(exit_fd_);
        return e;
    }

    // Stops the child for good: SIGTERM to its group, up to `grace` for it to exit, then
    // SIGKILL; then reaps it. Blocks at most `grace` plus the moment SIGKILL takes.
    ChildExit stop(std::chrono::milliseconds grace) {
        if (pid_ <= 0) return {};
        if (!exited()) {
            signal_group(SIGTERM);
            const auto deadline = std::chrono::steady_clock::now() + grace;
            while (!exited() && std::chrono::steady_clock::now() < deadline)
                wait_exit(deadline);
            if (!exited()) signal_group(SIGKILL);
        }
        return reap(); // waitpid blocks until a SIGKILLed child is gone
    }

private:
    // Sleeps until the child exits or `deadline`, in slices when there is no pidfd.
    void wait_exit(std::chrono::steady_clock::time_point deadline) const {
        using namespace std::chrono;
        const auto left = duration_cast<milliseconds>(deadline - steady_clock::now()).count();
        const int ms = static_cast<int>(std::clamp<long long>(left, 0, 10000));
        if (exit_fd_ >= 0) {
            pollfd p{exit_fd_, POLLIN, 0};
            ::poll(&p, 1, ms);
        } else {
            ::poll(nullptr, 0, std::min(ms, 10));
        }
    }
    static std::vector<char *> pointers(const std::vector<std::string> &v) {
        std::vector<char *> p;
        p.reserve(v.size() + 1);
        for (const auto &s : v)
            p.push_back(const_cast<char *>(s.c_str()));
        p.push_back(nullptr);
        return p;
    }
    static int nonblocking(int fd) {
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
        return fd;
    }
    static void close_pair(int p[2]) {
        ::close(p[0]);
        ::close(p[1]);
    }
    static void close_fd(int &fd) {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }

    pid_t pid_ = -1;
    bool exited_ = false;
    int out_fd_ = -1, err_fd_ = -1, exit_fd_ = -1;
    std::chrono::steady_clock::time_point started_{};
};

} // namespace mafio_plugins
