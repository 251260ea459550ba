// command:V1's dead-letter file: one JSON line per record whose job failed, appended (O_APPEND,
// one write(2) per line, so lines of concurrent writers never interleave) and flushed to disk
// once per write() call that added any.
//   {"time":"2026-11-30T10:00:00Z","record":"...","exit_code":3,"signal":null,"timed_out":false}
#pragma once

#include "../../common/child_process.hpp"
#include "../../common/json_string.hpp"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <string>
#include <string_view>
#include <unistd.h>

namespace command_v1 {

// The record as a JSON string, escaped as every plugin's JSON is (json_string.hpp).
using mafio_plugins::append_json_string;

inline std::string dead_letter_line(std::string_view record, const mafio_plugins::ChildExit &e,
                                    bool timed_out, std::time_t now) {
    char stamp[32];
    std::tm tm{};
    ::gmtime_r(&now, &tm);
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    std::string line = std::string("{\"time\":\"") + stamp + "\",\"record\":";
    append_json_string(line, record);
    line += ",\"exit_code\":" + (e.signal ? std::string("null") : std::to_string(e.code));
    line += ",\"signal\":" + (e.signal ? std::to_string(e.signal) : std::string("null"));
    line += std::string(",\"timed_out\":") + (timed_out ? "true" : "false") + "}\n";
    return line;
}

class DeadLetterFile {
public:
    ~DeadLetterFile() { close(); }

    // "" or why the file cannot be opened.
    std::string open(const std::string &path) {
        close();
        fd_ = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
        return fd_ < 0 ? std::string(std::strerror(errno)) : std::string();
    }
    void close() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }
    // "" or why the line could not be written whole.
    std::string append(const std::string &line) {
        ssize_t n;
        do {
            n = ::write(fd_, line.data(), line.size());
        } while (n < 0 && errno == EINTR);
        if (n < 0) return std::strerror(errno);
        if (static_cast<size_t>(n) != line.size()) return "short write (disk full?)";
        dirty_ = true;
        return {};
    }
    // "" or why the appended lines could not be made durable.
    std::string sync() {
        if (!dirty_) return {};
        dirty_ = false;
        return ::fdatasync(fd_) == 0 ? std::string() : std::string(std::strerror(errno));
    }

private:
    int fd_ = -1;
    bool dirty_ = false;
};

} // namespace command_v1
