#include "compressor.hpp"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace logr_v1 {
namespace {

// Failures of one job; the message names the file and the cause.
struct JobError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

[[noreturn]] void sys_fail(const std::string &what) {
    throw JobError(what + ": " + std::strerror(errno));
}

void write_all(int fd, const unsigned char *p, size_t n, const std::string &name) {
    while (n > 0) {
        const ssize_t w = ::write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) sys_fail("cannot write \"" + name + "\"");
        p += w;
        n -= static_cast<size_t>(w);
    }
}

std::string dir_of(const std::string &path) {
    const size_t slash = path.rfind('/');
    return slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
}

// Makes a rename or unlink in the directory durable before the next step relies on it.
void sync_dir(const std::string &dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return; // best effort: a kill (not a power cut) needs no sync at all
    (void)::fsync(fd);
    ::close(fd);
}

// The whole of src, deflated with a gzip header (what gzip -6 makes), into dst.
void gzip_copy(int src, int dst, const std::string &src_name, const std::string &dst_name) {
    z_stream z{};
    // 15 window bits + 16: a gzip wrapper instead of zlib's.
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw JobError("zlib: cannot initialise deflate");
    std::vector<unsigned char> in(1 << 17), out(1 << 17);
    try {
        int flush = Z_NO_FLUSH;
        while (flush != Z_FINISH) {
            ssize_t n = ::read(src, in.data(), in.size());
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) sys_fail("cannot read \"" + src_name + "\"");
            flush = n == 0 ? Z_FINISH : Z_NO_FLUSH;
            z.next_in = in.data();
            z.avail_in = static_cast<uInt>(n);
            do {
                z.next_out = out.data();
                z.avail_out = static_cast<uInt>(out.size());
                if (deflate(&z, flush) == Z_STREAM_ERROR) throw JobError("zlib: deflate failed");
                write_all(dst, out.data(), out.size() - z.avail_out, dst_name);
            } while (z.avail_out == 0);
        }
    } catch (...) {
        deflateEnd(&z);
        throw;
    }
    deflateEnd(&z);
}

} // namespace

Compressor::Compressor(std::string temp, Log warn, Log info)
    : temp_(std::move(temp)), warn_(std::move(warn)), info_(std::move(info)) {}

Compressor::~Compressor() {
    stop();
}

void Compressor::start() {
    std::lock_guard g(mutex_);
    stopping_ = false;
    if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
}

void Compressor::stop() {
    {
        std::lock_guard g(mutex_);
        if (!thread_.joinable()) return;
        const size_t pending = queue_.size() + (current_.empty() ? 0 : 1);
        if (pending > 0)
            info_("finishing " + std::to_string(pending) +
                  " pending compression(s) of rotated files before stopping");
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void Compressor::add(std::string plain) {
    queue_.push_back(std::move(plain));
    wake_.notify_all();
}

void Compressor::moved(const std::string &from, const std::string &to) {
    for (auto &q : queue_)
        if (q == from) q = to;
    if (current_ == from) current_ = to;
}

void Compressor::removed(const std::string &plain) {
    queue_.erase(std::remove(queue_.begin(), queue_.end(), plain), queue_.end());
    if (current_ == plain) cancelled_ = true;
}

void Compressor::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return; // stopping, and everything is done
        current_ = std::move(queue_.front());
        queue_.pop_front();
        cancelled_ = false;
        // Opened under the lock: rotation cannot rename it between taking the name and opening.
        const int src = ::open(current_.c_str(), O_RDONLY | O_CLOEXEC);
        if (src < 0) {
            if (errno != ENOENT) // gone: deleted by rotation or by someone else
                warn_("cannot compress \"" + current_ +
                      "\": cannot open it: " + std::strerror(errno));
            current_.clear();
            continue;
        }
        lock.unlock();
        std::string failure;
        try {
            compress(src);
        } catch (const std::exception &e) {
            failure = e.what();
        }
        ::close(src);
        lock.lock();
        if (!failure.empty()) {
            (void)::unlink(temp_.c_str());
            warn_("cannot compress \"" + current_ + "\" (" + failure +
                  "); it stays uncompressed and is compressed at the next start");
        }
        current_.clear();
    }
}

// Runs without the lock except around the rename and the unlink. current_ may change under the
// lock meanwhile (rotation shifts numbered names), so it is read only with the lock held.
void Compressor::compress(int src) {
    const std::string label = [&] {
        std::lock_guard g(mutex_);
        return current_;
    }();
    const int dst = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (dst < 0) sys_fail("cannot create \"" + temp_ + "\"");
    try {
        gzip_copy(src, dst, label, temp_);
        // The .gz keeps the rotated file's times: retention orders time-named files by mtime.
        struct stat st {};
        if (::fstat(src, &st) == 0) {
            const struct timespec times[2] = {st.st_atim, st.st_mtim};
            (void)::futimens(dst, times);
        }
        if (::fsync(dst) != 0) sys_fail("cannot sync \"" + temp_ + "\"");
    } catch (...) {
        ::close(dst);
        throw;
    }
    if (::close(dst) != 0) sys_fail("cannot close \"" + temp_ + "\"");

    std::string plain;
    {
        std::lock_guard g(mutex_);
        if (cancelled_) { // rotation deleted the file meanwhile: so goes its copy
            (void)::unlink(temp_.c_str());
            return;
        }
        plain = current_;
        if (::rename(temp_.c_str(), (plain + ".gz").c_str()) != 0)
            sys_fail("cannot rename \"" + temp_ + "\" to \"" + plain + ".gz\"");
    }
    // X.gz must be durable before X goes, or a power cut could leave neither.
    sync_dir(dir_of(plain));
    std::lock_guard g(mutex_);
    if (!cancelled_ && ::unlink(current_.c_str()) != 0 && errno != ENOENT)
        warn_("compressed \"" + current_ + "\" but cannot remove it: " + std::strerror(errno));
}

} // namespace logr_v1
