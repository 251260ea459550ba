// Names the plugin file when its code crashes while being loaded (a constructor run by dlopen,
// or the entry function), instead of a bare "Segmentation fault" / exit 139.
//
// While a guard lives, SIGSEGV, SIGBUS, SIGILL, SIGFPE and SIGABRT raised on the loading thread
// write one pre-formatted log line ("plugin file X crashed while loading (signal 11, SIGSEGV, in
// ...)") and then take their default action, so the process still dies of that signal (a core
// dump stays possible). A crash on another thread is left alone, and the previous handlers are
// restored when the guard ends. Guards are serialised: one load at a time.
#pragma once

#include <string>

namespace mafio {

class LoadCrashGuard {
public:
    enum class Phase { dlopen, entry };

    explicit LoadCrashGuard(const std::string &path);
    ~LoadCrashGuard();
    LoadCrashGuard(const LoadCrashGuard &) = delete;
    LoadCrashGuard &operator=(const LoadCrashGuard &) = delete;

    // What runs next, for the message: dlopen (the library's constructors) or the entry call.
    void phase(Phase p);
};

// "SIGSEGV" for the signals the guard handles (and a few more), nullptr otherwise. Safe in a
// signal handler.
const char *signal_abbrev(int sig);

} // namespace mafio
