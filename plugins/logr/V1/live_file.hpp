// The file logr:V1 appends to. Writes are not buffered here; the caller writes to fd() directly.
// Where a full file goes is rotation.hpp's business; this one only moves out of its way.
#pragma once

#include <mafio/options.hpp>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <filesystem>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace logr_v1 {

// Full disks and quotas clear up: such failures become MAFIO_RETRY (the host retries with
// backoff, nothing is lost) rather than errors that drop records.
inline bool is_transient(int err) {
    return err == ENOSPC || err == EDQUOT || err == EAGAIN || err == EWOULDBLOCK;
}

class LiveFile {
public:
    LiveFile(std::string path, bool create_dirs)
        : path_(std::move(path)), create_dirs_(create_dirs) {}
    ~LiveFile() { close(); }
    LiveFile(const LiveFile &) = delete;
    LiveFile &operator=(const LiveFile &) = delete;

    // Opens (creating) the file for appending and learns its current size, so that an existing
    // file counts towards max_size, and its modification time (its last write).
    void open() {
        fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
        if (fd_ < 0 && errno == ENOENT && create_dirs_) {
            make_parent_dirs();
            fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
        }
        if (fd_ < 0) {
            const int err = errno; // open_error() looks at the directory, which may change errno
            throw mafio::Error(open_error(err), code_for(err));
        }
        struct stat st {};
        if (::fstat(fd_, &st) != 0) fail("cannot size");
        size_ = static_cast<uint64_t>(st.st_size);
        mtime_ = st.st_mtim.tv_sec;
        torn_bytes_cut_ = 0;
        if (size_ > 0) cut_torn_tail();
    }

    // mkdir -p of the directory holding the file (create_dirs).
    void make_parent_dirs() const {
        const std::filesystem::path dir = std::filesystem::path(path_).parent_path();
        std::error_code ec;
        if (dir.empty() || std::filesystem::is_directory(dir, ec)) return;
        std::filesystem::create_directories(dir, ec);
        if (ec)
            throw mafio::Error("cannot create the directory \"" + dir.string() + "\" for \"" +
                                   path_ + "\" (create_dirs): " + ec.message(),
                               code_for(ec.value()));
    }

    // Bytes after the last newline that open() cut off (a torn line from a killed run).
    uint64_t torn_bytes_cut() const { return torn_bytes_cut_; }

    const std::string &path() const { return path_; }
    bool is_open() const { return fd_ >= 0; }
    int fd() const { return fd_; }
    uint64_t size() const { return size_; }
    // The file's modification time when it was opened.
    time_t mtime_at_open() const { return mtime_; }
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

    // Syncs the file, lets `move_away` rename or remove it, and starts an empty file at path.
    template <class F> void rotate(F &&move_away) {
        if (::fdatasync(fd_) != 0) fail("cannot sync before rotating");
        move_away();
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
    static mafio_status code_for(int err) { return is_transient(err) ? MAFIO_RETRY : MAFIO_ERR_IO; }

    std::string open_error(int err) const {
        std::string msg = "cannot open path \"" + path_ + "\" for appending: " + std::strerror(err);
        const std::filesystem::path dir = std::filesystem::path(path_).parent_path();
        std::error_code ec;
        if (err == ENOENT && !dir.empty() && !std::filesystem::is_directory(dir, ec))
            msg += " (the directory \"" + dir.string() +
                   "\" does not exist; create it, or set create_dirs: true)";
        return msg;
    }

    [[noreturn]] void fail(const char *what) const { fail_on(what, path_); }
    [[noreturn]] static void fail_on(const std::string &what, const std::string &file) {
        const int err = errno;
        throw mafio::Error(what + " \"" + file + "\": " + std::strerror(err), code_for(err));
    }

    std::string path_;
    bool create_dirs_;
    int fd_ = -1;
    uint64_t size_ = 0;
    time_t mtime_ = 0;
    uint64_t torn_bytes_cut_ = 0;
};

} // namespace logr_v1
