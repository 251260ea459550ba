#include "metrics/process_stats.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace mafio {

namespace {

std::string read_small_file(const std::string &path) {
    std::ifstream f(path);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

// The fields of a /proc stat line after "(comm)", which may itself hold spaces and ')'.
// fields[0] is the state (field 3 in proc(5)), so field N of proc(5) is fields[N - 3].
std::vector<std::string> stat_fields(const std::string &stat) {
    std::vector<std::string> fields;
    size_t close = stat.rfind(')');
    if (close == std::string::npos) return fields;
    std::istringstream in(stat.substr(close + 1));
    for (std::string f; in >> f;)
        fields.push_back(f);
    return fields;
}

double ticks_to_seconds(const std::string &ticks) {
    static const double hz = static_cast<double>(sysconf(_SC_CLK_TCK));
    return static_cast<double>(std::strtoull(ticks.c_str(), nullptr, 10)) / hz;
}

// utime (14) + stime (15).
double cpu_seconds_of(const std::vector<std::string> &f) {
    if (f.size() < 13) return 0;
    return ticks_to_seconds(f[11]) + ticks_to_seconds(f[12]);
}

// A "Key:   123 kB" line of /proc/self/status, in bytes.
uint64_t status_kb(const std::string &status, const std::string &key) {
    size_t at = status.find("\n" + key + ":");
    if (at == std::string::npos) return 0;
    return std::strtoull(status.c_str() + at + key.size() + 2, nullptr, 10) * 1024;
}

size_t count_entries(const char *dir) {
    std::error_code ec;
    size_t n = 0;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        ++n;
    return n;
}

// Process start as Unix time: starttime (field 22, ticks since boot) plus the boot time.
double process_start_time() {
    std::string stat = read_small_file("/proc/stat");
    size_t at = stat.find("\nbtime ");
    auto fields = stat_fields(read_small_file("/proc/self/stat"));
    if (at == std::string::npos || fields.size() < 20) {
        return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    }
    double boot = static_cast<double>(std::strtoull(stat.c_str() + at + 7, nullptr, 10));
    return boot + ticks_to_seconds(fields[19]);
}

} // namespace

uint64_t resident_bytes() {
    return status_kb(read_small_file("/proc/self/status"), "VmRSS");
}

ProcessSnapshot read_process_snapshot() {
    static const double started = process_start_time(); // does not change: read once
    ProcessSnapshot p;
    p.cpu_seconds = cpu_seconds_of(stat_fields(read_small_file("/proc/self/stat")));
    std::string status = "\n" + read_small_file("/proc/self/status");
    p.rss_bytes = status_kb(status, "VmRSS");
    p.peak_rss_bytes = status_kb(status, "VmHWM");
    p.open_fds = count_entries("/proc/self/fd");
    p.threads = count_entries("/proc/self/task");
    p.start_time_s = started;
    double now =
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    p.uptime_s = now > started ? now - started : 0;
    return p;
}

std::vector<ThreadSample> list_threads() {
    std::vector<ThreadSample> threads;
    std::error_code ec;
    for (std::filesystem::directory_iterator it("/proc/self/task", ec), end; !ec && it != end;
         it.increment(ec)) {
        ThreadSample t;
        t.tid = std::atoi(it->path().filename().c_str());
        std::string dir = it->path().string();
        t.name = read_small_file(dir + "/comm");
        while (!t.name.empty() && t.name.back() == '\n')
            t.name.pop_back();
        auto fields = stat_fields(read_small_file(dir + "/stat"));
        if (fields.empty()) continue; // the thread ended while we looked
        t.state = fields[0].empty() ? '?' : fields[0][0];
        // schedstat's first field is the time on a CPU in nanoseconds; stat's ticks (10 ms)
        // would show every quiet thread as 0.0 and round the rest.
        const std::string sched = read_small_file(dir + "/schedstat");
        t.cpu_seconds = !sched.empty()
                            ? static_cast<double>(std::strtoull(sched.c_str(), nullptr, 10)) / 1e9
                            : cpu_seconds_of(fields);
        threads.push_back(std::move(t));
    }
    std::sort(threads.begin(), threads.end(),
              [](const ThreadSample &a, const ThreadSample &b) { return a.tid < b.tid; });
    return threads;
}

} // namespace mafio
