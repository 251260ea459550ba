#include "plugin/crash_guard.hpp"

#include "util/log.hpp"

#include <array>
#include <atomic>
#include <csignal>
#include <cstring>
#include <mutex>
#include <sys/syscall.h>
#include <unistd.h>

namespace mafio {

namespace {

constexpr std::array<int, 5> kSignals = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};

// The handler reads only these, all written before the handlers are installed: formatting a
// message in a signal handler is not allowed (no malloc, no stdio), so each phase's line is
// ready in advance, split where the signal number goes.
struct Message {
    std::string head[2]; // by Phase: "... crashed while loading (signal "
    std::string tail[2]; // ", in a constructor run by dlopen)\n"
};
Message g_message;
std::atomic<int> g_phase{0};
std::atomic<pid_t> g_loading_thread{0};
std::array<struct sigaction, kSignals.size()> g_previous{};
std::mutex g_one_load_at_a_time;

pid_t current_thread() {
    return static_cast<pid_t>(::syscall(SYS_gettid));
}

void write_all(const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = ::write(STDERR_FILENO, p, n);
        if (w <= 0) return;
        p += w;
        n -= static_cast<size_t>(w);
    }
}

size_t slot_of(int sig) {
    for (size_t i = 0; i < kSignals.size(); ++i)
        if (kSignals[i] == sig) return i;
    return 0;
}

void on_crash(int sig, siginfo_t *info, void *) {
    if (current_thread() == g_loading_thread.load()) {
        const int phase = g_phase.load();
        write_all(g_message.head[phase].data(), g_message.head[phase].size());
        char digits[12];
        size_t n = 0;
        for (unsigned v = static_cast<unsigned>(sig); n == 0 || v != 0; v /= 10)
            digits[sizeof digits - 1 - n++] = static_cast<char>('0' + v % 10);
        write_all(digits + sizeof digits - n, n);
        if (const char *abbrev = signal_abbrev(sig)) {
            write_all(", ", 2);
            write_all(abbrev, std::strlen(abbrev));
        }
        write_all(g_message.tail[phase].data(), g_message.tail[phase].size());
    }
    // Then whatever was there before (the default action: die of this signal, a core dump
    // stays possible; or a sanitizer's handler). A fault re-executes when this returns and meets
    // that action; a signal that was sent (raise, abort) is sent again.
    struct sigaction before = g_previous[slot_of(sig)];
    if (before.sa_handler == SIG_IGN) before.sa_handler = SIG_DFL;
    ::sigaction(sig, &before, nullptr);
    if (info == nullptr || info->si_code <= 0) ::raise(sig);
}

} // namespace

const char *signal_abbrev(int sig) {
    switch (sig) {
    case SIGSEGV:
        return "SIGSEGV";
    case SIGBUS:
        return "SIGBUS";
    case SIGILL:
        return "SIGILL";
    case SIGFPE:
        return "SIGFPE";
    case SIGABRT:
        return "SIGABRT";
    case SIGKILL:
        return "SIGKILL";
    case SIGTERM:
        return "SIGTERM";
    case SIGSYS:
        return "SIGSYS";
    case SIGTRAP:
        return "SIGTRAP";
    }
    return nullptr;
}

LoadCrashGuard::LoadCrashGuard(const std::string &path) {
    g_one_load_at_a_time.lock();
    const std::string what = "plugin file " + path + " crashed while loading (signal ";
    const char *where[2] = {", in a constructor run by dlopen)",
                            ", in its entry function mafio_plugin_entry_v1)"};
    for (int p = 0; p < 2; ++p) {
        // The line carries the usual timestamp and level; the time is the start of the load.
        std::string line = log::format_line(log::Level::error, "", what + "\x01" + where[p]);
        size_t cut = line.find('\x01');
        g_message.head[p] = line.substr(0, cut);
        g_message.tail[p] = line.substr(cut + 1);
    }
    g_phase.store(0);
    g_loading_thread.store(current_thread());
    struct sigaction sa {};
    sa.sa_sigaction = on_crash;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    for (size_t i = 0; i < kSignals.size(); ++i)
        ::sigaction(kSignals[i], &sa, &g_previous[i]);
}

LoadCrashGuard::~LoadCrashGuard() {
    for (size_t i = 0; i < kSignals.size(); ++i)
        ::sigaction(kSignals[i], &g_previous[i], nullptr);
    g_loading_thread.store(0);
    g_one_load_at_a_time.unlock();
}

void LoadCrashGuard::phase(Phase p) {
    g_phase.store(p == Phase::dlopen ? 0 : 1);
}

} // namespace mafio
