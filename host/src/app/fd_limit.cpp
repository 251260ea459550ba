#include "app/fd_limit.hpp"

#include "util/log.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sys/resource.h>

namespace mafio {

uint64_t fd_soft_limit_target(uint64_t soft, uint64_t hard, uint64_t nr_open) {
    uint64_t target = hard;
    if (hard == static_cast<uint64_t>(RLIM_INFINITY) && nr_open > 0) target = nr_open;
    return target > soft ? target : soft;
}

namespace {
uint64_t kernel_nr_open() {
    std::ifstream in("/proc/sys/fs/nr_open");
    uint64_t n = 0;
    return in >> n ? n : 0;
}
} // namespace

void raise_fd_limit() {
    rlimit lim{};
    if (::getrlimit(RLIMIT_NOFILE, &lim) != 0) return;
    const uint64_t want = fd_soft_limit_target(
        lim.rlim_cur, lim.rlim_max, lim.rlim_max == RLIM_INFINITY ? kernel_nr_open() : 0);
    if (want == lim.rlim_cur) return;
    const rlim_t was = lim.rlim_cur;
    lim.rlim_cur = static_cast<rlim_t>(want);
    if (::setrlimit(RLIMIT_NOFILE, &lim) != 0)
        log::warn("cannot raise the open files limit (RLIMIT_NOFILE) from {} to {}: {}; file "
                  "inputs hold fewer files open at once",
                  static_cast<uint64_t>(was), want, std::strerror(errno));
}

} // namespace mafio
