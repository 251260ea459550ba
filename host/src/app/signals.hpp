// SIGINT/SIGTERM handling on a dedicated thread (sigwait), so that no code runs in a signal
// handler: the first signal asks the pipeline to stop gracefully, a second one exits at once.
#pragma once

#include <functional>

namespace mafio {

// Blocks SIGINT, SIGTERM and SIGHUP in the calling thread (and so in every thread started after
// it) and ignores SIGPIPE, so a closed stdout is an EPIPE error the stdout output handles.
// Call first thing in main.
void block_stop_signals();

// Starts the detached thread that waits for the signals. `on_first` runs on that thread for the
// first SIGINT/SIGTERM; `on_hup` for every SIGHUP (it must return at once; empty: SIGHUP is
// logged and ignored).
void watch_stop_signals(std::function<void(int signo)> on_first, std::function<void()> on_hup = {});

} // namespace mafio
