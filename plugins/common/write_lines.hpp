// Writes a run of records to a file descriptor as lines (each record followed by '\n') with as
// few writev(2) calls as possible. Shared by stdout:V1 and logr:V1.
//
// Inputs leave the '\n' right after each record in the arena, so consecutive records that are
// adjacent there and already followed by '\n' merge into one iovec: a passthrough bulk is one
// iovec. A record without its '\n' in place (a filter rewrote it) gets a separate "\n" iovec.
#pragma once

#include <mafio/plugin.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <poll.h>
#include <sys/uio.h>
#include <vector>

namespace mafio_plugins {

struct WriteOutcome {
    int error = 0;              // errno of the write that failed; 0 when everything was written
    uint32_t records_done = 0;  // records written completely, '\n' included
    uint64_t bytes_done = 0;    // the bytes of those complete records
    uint64_t bytes_written = 0; // bytes written; beyond bytes_done only after an error
};

class LineWriter {
public:
    // Writes records [first, first + count) of `batch` to `fd`, retrying partial writes and
    // EINTR. EAGAIN returns at once between records, but inside a record it waits until the fd
    // is writable so that a retry never repeats half a line.
    WriteOutcome write(int fd, const mafio_batch &batch, uint32_t first, uint32_t count) {
        build(batch, first, count);
        WriteOutcome out;
        size_t next = 0;
        while (next < iov_.size()) {
            const int n_iov = static_cast<int>(std::min<size_t>(iov_.size() - next, kMaxIov));
            const ssize_t n = ::writev(fd, &iov_[next], n_iov);
            if (n > 0) {
                out.bytes_written += static_cast<uint64_t>(n);
                next = advance(next, static_cast<size_t>(n));
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) &&
                !at_record_boundary(out.bytes_written)) {
                pollfd writable{fd, POLLOUT, 0};
                (void)::poll(&writable, 1, -1);
                continue;
            }
            out.error = n < 0 ? errno : EIO; // writev returning 0 for bytes would loop forever
            break;
        }
        const auto done =
            std::upper_bound(record_ends_.begin(), record_ends_.end(), out.bytes_written);
        out.records_done = static_cast<uint32_t>(done - record_ends_.begin());
        out.bytes_done = out.records_done ? record_ends_[out.records_done - 1] : 0;
        return out;
    }

private:
#ifdef IOV_MAX
    static constexpr size_t kMaxIov = IOV_MAX;
#else
    static constexpr size_t kMaxIov = 1024; // Linux's value
#endif

    void build(const mafio_batch &batch, uint32_t first, uint32_t count) {
        iov_.clear();
        record_ends_.clear();
        uint64_t total = 0;
        for (uint32_t i = first; i < first + count; ++i) {
            const mafio_record &r = batch.records[i];
            const uint64_t after = r.offset + r.len;
            const bool newline_in_place = after < batch.arena_size && batch.arena[after] == '\n';
            append(batch.arena + r.offset, r.len + (newline_in_place ? 1 : 0));
            if (!newline_in_place) append(&kNewline, 1);
            total += uint64_t{r.len} + 1;
            record_ends_.push_back(total);
        }
    }

    void append(const uint8_t *bytes, size_t len) {
        if (len == 0) return;
        if (!iov_.empty()) {
            iovec &last = iov_.back();
            if (static_cast<const uint8_t *>(last.iov_base) + last.iov_len == bytes) {
                last.iov_len += len;
                return;
            }
        }
        // writev never writes through iov_base; the cast only satisfies its C signature.
        iov_.push_back(iovec{const_cast<uint8_t *>(bytes), len});
    }

    // Skips the iovecs a write of `n` bytes finished and trims the one it ended inside.
    size_t advance(size_t next, size_t n) {
        while (n > 0 && n >= iov_[next].iov_len)
            n -= iov_[next++].iov_len;
        if (n > 0) {
            iov_[next].iov_base = static_cast<uint8_t *>(iov_[next].iov_base) + n;
            iov_[next].iov_len -= n;
        }
        return next;
    }

    bool at_record_boundary(uint64_t written) const {
        return written == 0 ||
               std::binary_search(record_ends_.begin(), record_ends_.end(), written);
    }

    static constexpr uint8_t kNewline = '\n';
    std::vector<iovec> iov_;
    std::vector<uint64_t> record_ends_; // end of each record's line in the written stream
};

} // namespace mafio_plugins
