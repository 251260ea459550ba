// The agent's descriptor limit. A file tailer holds one descriptor per followed file, and the
// common soft limit (1024, kept low for select(2), which the agent does not use) is easily
// spent by a few thousand log files: running out costs data (issue 16). Like systemd and Go,
// the agent raises its soft RLIMIT_NOFILE to the hard limit once at start, before any thread
// or plugin exists; plugins size themselves from the raised limit (filereader:V2's
// max_open_files).
#pragma once

#include <cstdint>

namespace mafio {

// The soft limit to ask for: the hard limit, or the kernel's per-process ceiling (nr_open,
// 0 when unknown) when the hard limit is unlimited, since setrlimit refuses more than that.
// Never lower than `soft`.
uint64_t fd_soft_limit_target(uint64_t soft, uint64_t hard, uint64_t nr_open);

// Raises the soft RLIMIT_NOFILE to the hard limit; a warning if that is refused.
void raise_fd_limit();

} // namespace mafio
