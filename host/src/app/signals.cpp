#include "app/signals.hpp"

#include "util/log.hpp"

#include <csignal>
#include <pthread.h>
#include <thread>
#include <unistd.h>

namespace mafio {

namespace {
sigset_t stop_set() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    return set;
}
} // namespace

void block_stop_signals() {
    sigset_t set = stop_set();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
}

void watch_stop_signals(std::function<void(int)> on_first, std::function<void()> on_hup) {
    std::thread([on_first = std::move(on_first), on_hup = std::move(on_hup)] {
        pthread_setname_np(pthread_self(), "signals");
        sigset_t set = stop_set();
        int count = 0;
        for (;;) {
            int signo = 0;
            if (sigwait(&set, &signo) != 0) continue;
            if (signo == SIGHUP) { // reload; never a stop (the original default was to die)
                log::info("received SIGHUP; {}",
                          on_hup ? "reloading the configuration" : "nothing to reload; ignored");
                if (on_hup) on_hup();
                continue;
            }
            if (++count == 1) {
                log::info("received {}; stopping gracefully (send it again to exit at once)",
                          signo == SIGINT ? "SIGINT" : "SIGTERM");
                on_first(signo);
            } else {
                log::warn("second signal: exiting at once; records in flight may be lost");
                _exit(128 + signo);
            }
        }
    }).detach();
}

} // namespace mafio
