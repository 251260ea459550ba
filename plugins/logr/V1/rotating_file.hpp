// The file logr:V1 appends to, and its rotation: path -> path.1 -> ... -> path.N, the oldest
// dropped. Writes are not buffered here; the caller writes to fd() directly.
#pragma once

#include <mafio/options.hpp>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace logr_v1 {

class RotatingFile {
public:
    RotatingFile(std::string path, uint32_t max_files)
        : path_(std::move(path)), max_files_(max_files) {}
    ~RotatingFile() { close(); }
    RotatingFile(const RotatingFile &) = delete;
    RotatingFile &operator=(const RotatingFile &) = delete;

    // Opens (creating) the file for appending and learns its current size, so that an existing
    // file counts towards max_size.
    void open() {
        fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
        if (fd_ < 0) throw mafio::Error(open_error(errno), MAFIO_ERR_IO);
        struct stat st {};
        if (::fstat(fd_, &st) != 0) fail("cannot size");
        size_ = static_cast<uint64_t>(st.st_size);
        torn_bytes_cut_ = 0;
        if (size_ > 0) cut_torn_tail();
    }

    // Bytes after the last newline that open() cut off (a torn line from a killed run).
    uint64_t torn_bytes_cut() const { return torn_bytes_cut_; }

    const std::string &path() const { return path_; }
    bool is_open() const { return fd_ >= 0; }
    int fd() const { return fd_; }
    uint64_t size() const { return size_; }
    void grew(uint64_t bytes) { size_ += bytes; }

    // A run killed in the middle of a write (SIGKILL interrupts a write between pages) leaves
    // a torn last line. Appending after it would glue the next record onto the fragment, and
    // that record would be lost, so the fragment is cut off. The record it belonged to was never
    // acknowledged, so the agent delivers it again in full.
    void cut_torn_tail() {
        int rd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
        if (rd < 0) fail("cannot read back");
        uint64_t end = size_;
        char buf[65536];
        while (end > 0) {
            uint64_t from = end > sizeof buf ? end - sizeof buf : 0;
            ssize_t n = ::pread(rd, buf, end - from, static_cast<off_t>(from));
            if (n <= 0) break;
            const void *nl = ::memrchr(buf, '\n', static_cast<size_t>(n));
            if (nl) {
                end = from + static_cast<uint64_t>(static_cast<const char *>(nl) - buf) + 1;
                break;
            }
            end = from;
        }
        ::close(rd);
        if (end == size_) return;
        torn_bytes_cut_ = size_ - end;
        size_ = end;
        cut_back_to_size();
    }

    // Cuts off a line that was only partly written, so no file ever holds half a record.
    void cut_back_to_size() {
        if (::ftruncate(fd_, static_cast<off_t>(size_)) != 0) fail("cannot cut a partial line off");
    }

    // Moves the current file to path.1 (shifting older ones up, dropping the one beyond
    // max_files) and starts an empty file at path.
    void rotate() {
        if (::fdatasync(fd_) != 0) fail("cannot sync before rotating");
        if (max_files_ == 0) {
            remove(path_);
        } else {
            remove(numbered(max_files_));
            for (uint32_t n = max_files_ - 1; n >= 1; --n)
                move(numbered(n), numbered(n + 1));
            move(path_, numbered(1));
        }
        // The old file is renamed by now: close it, whatever the outcome of opening the new one.
        close();
        open();
    }

    void sync() {
        if (fd_ >= 0 && ::fdatasync(fd_) != 0) fail("cannot sync");
    }

    void close() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

private:
    std::string numbered(uint32_t n) const { return path_ + "." + std::to_string(n); }

    static void remove(const std::string &file) {
        if (::unlink(file.c_str()) != 0 && errno != ENOENT) fail_on("cannot remove", file);
    }
    static void move(const std::string &from, const std::string &to) {
        if (::rename(from.c_str(), to.c_str()) != 0 && errno != ENOENT)
            fail_on("cannot rename \"" + from + "\" to", to);
    }

    std::string open_error(int err) const {
        std::string msg = "cannot open path \"" + path_ + "\" for appending: " + std::strerror(err);
        const std::filesystem::path dir = std::filesystem::path(path_).parent_path();
        std::error_code ec;
        if (err == ENOENT && !dir.empty() && !std::filesystem::is_directory(dir, ec))
            msg += " (the directory \"" + dir.string() +
                   "\" does not exist; logr does not create directories)";
        return msg;
    }

    [[noreturn]] void fail(const char *what) const { fail_on(what, path_); }
    [[noreturn]] static void fail_on(const std::string &what, const std::string &file) {
        throw mafio::Error(what + " \"" + file + "\": " + std::strerror(errno), MAFIO_ERR_IO);
    }

    std::string path_;
    uint32_t max_files_;
    int fd_ = -1;
    uint64_t size_ = 0;
    uint64_t torn_bytes_cut_ = 0;
};

} // namespace logr_v1
