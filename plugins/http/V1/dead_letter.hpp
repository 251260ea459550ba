// `dead_letter_path`: where records the server refused for good go, one JSON line each:
//   {"time":"2026-11-30T10:00:00Z","status":400,"url":"http://host/path","response":"...",
//    "record":"<the record as a JSON string>"}
// The file rotates by size like a log (path -> path.1 -> ... -> path.<max_files>), and each
// append is fdatasync'ed before the records count as done: a dead letter replaces delivery, so
// it must be as durable as delivery. logr:V1's writer is not factored out for sharing, and a
// dead-letter file needs far less (no time names, no compression): this is a small one.
#pragma once

#include "json_text.hpp"

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>

namespace http_v1 {

class DeadLetterFile {
public:
    DeadLetterFile(std::string path, uint64_t max_size, uint32_t max_files)
        : path_(std::move(path)), max_size_(max_size), max_files_(max_files) {}
    ~DeadLetterFile() { close(); }
    DeadLetterFile(const DeadLetterFile &) = delete;
    DeadLetterFile &operator=(const DeadLetterFile &) = delete;

    const std::string &path() const { return path_; }

    // One JSON line per record, without the newline, for append().
    static void format_line(std::string &out, int status, std::string_view url,
                            std::string_view response, std::string_view record, time_t now) {
        char stamp[32];
        struct tm tm {};
        gmtime_r(&now, &tm);
        std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
        out += "{\"time\":\"";
        out += stamp;
        out += "\",\"status\":";
        out += std::to_string(status);
        out += ",\"url\":";
        append_json_string(out, url);
        out += ",\"response\":";
        append_json_string(out, response);
        out += ",\"record\":";
        append_json_string(out, record);
        out += "}\n";
    }

    // Appends `lines` (complete lines), rotating first when they would take the file past
    // max_size, and syncs. Returns 0 or the errno of what failed.
    int append(std::string_view lines) {
        if (fd_ < 0 && open() != 0) return errno;
        if (size_ > 0 && size_ + lines.size() > max_size_) {
            if (int e = rotate()) return e;
        }
        size_t off = 0;
        while (off < lines.size()) {
            const ssize_t n = ::write(fd_, lines.data() + off, lines.size() - off);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                const int e = n < 0 ? errno : EIO;
                // Cut a torn line off, so that the file stays one JSON document per line.
                if (off > 0 && ::ftruncate(fd_, static_cast<off_t>(size_)) != 0) close();
                return e;
            }
            off += static_cast<size_t>(n);
        }
        size_ += lines.size();
        return ::fdatasync(fd_) == 0 ? 0 : errno;
    }

    void close() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

private:
    int open() {
        fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
        if (fd_ < 0) return errno;
        struct stat st {};
        size_ = ::fstat(fd_, &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
        return 0;
    }

    // path.<max_files> is dropped, every path.<k> moves to path.<k+1>, path moves to path.1;
    // with max_files 0 the full file is simply started again.
    int rotate() {
        close();
        if (max_files_ == 0) {
            if (::unlink(path_.c_str()) != 0 && errno != ENOENT) return errno;
        } else {
            const std::string last = path_ + "." + std::to_string(max_files_);
            (void)::unlink(last.c_str());
            for (uint32_t k = max_files_ - 1; k >= 1; --k) {
                const std::string from = path_ + "." + std::to_string(k);
                const std::string to = path_ + "." + std::to_string(k + 1);
                if (::rename(from.c_str(), to.c_str()) != 0 && errno != ENOENT) return errno;
            }
            if (::rename(path_.c_str(), (path_ + ".1").c_str()) != 0) return errno;
        }
        return open() == 0 ? 0 : errno;
    }

    std::string path_;
    uint64_t max_size_;
    uint32_t max_files_;
    int fd_ = -1;
    uint64_t size_ = 0;
};

} // namespace http_v1
