#include "open_failures.hpp"

#include <cstring>

namespace mafio_filereader {

OpenFailures::OpenFailures(ReaderEnv &env)
    : env_(env), gauge_(env.host.gauge("warn_unreadable",
                                       "matched files that cannot be opened (permissions?)")) {}

void OpenFailures::failed(const TailedFile &f, int err) {
    auto [it, fresh] = failing_.try_emplace(f.stream);
    Failure &x = it->second;
    x.tried_since_scan = true;
    if (!fresh && x.err == err && x.path == f.path) return;
    x.path = f.path;
    x.err = err;
    if (!throttle_.allow(Clock::now())) return;
    const uint64_t held = throttle_.take_suppressed();
    env_.host.warn(
        "cannot open \"" + f.path + "\": " + std::strerror(err) + "; trying again at each scan" +
        (env_.opt.exit_on_eof
             ? " (exit_on_eof gives up after " + std::to_string(kExitOnEofOpenScans) + " scans)"
             : std::string()) +
        (held > 0 ? " (" + std::to_string(held) +
                        " more such messages in the last minute were not logged)"
                  : std::string()));
}

void OpenFailures::opened(const TailedFile &f) {
    if (failing_.erase(f.stream) == 0) return;
    env_.host.info("\"" + f.path + "\" can be opened now; reading it");
}

bool OpenFailures::wait_for_scan(const TailedFile &f) const {
    const auto it = failing_.find(f.stream);
    return it != failing_.end() && it->second.tried_since_scan;
}

void OpenFailures::scan_done() {
    for (auto &[stream, x] : failing_) {
        ++x.scans;
        x.tried_since_scan = false;
    }
}

const OpenFailures::Failure *OpenFailures::find(const TailedFile &f) const {
    const auto it = failing_.find(f.stream);
    return it == failing_.end() ? nullptr : &it->second;
}

void OpenFailures::update_gauge() const {
    env_.host.set(gauge_, static_cast<int64_t>(failing_.size()));
}

} // namespace mafio_filereader
