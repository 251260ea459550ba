// Splits what an input reads from a file descriptor into line records, shared by stdin:V1 and
// filereader:V1 so that both truncate, carry and emit lines in exactly the same way.
//
// Bytes are read straight into the arena of the batch being built (no per-line allocation or
// copy). A record views its line in place and the '\n' stays right after it in the arena, which
// lets stdout:V1 write a passthrough bulk as one iovec. Only the unterminated last line of a
// chunk is copied, into the next batch. One read of up to kReadChunkBytes gives one batch.
//
// A line longer than max_line_bytes becomes a record of its first max_line_bytes bytes flagged
// MAFIO_RECORD_TRUNCATED and counted in `truncated_lines`; the rest up to its '\n' is skipped,
// never merged with the next line.
#pragma once

#include <mafio/plugin.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <unistd.h>

namespace mafio_plugins {

inline constexpr uint64_t kDefaultMaxLineBytes = 1024 * 1024;
inline constexpr uint64_t kReadChunkBytes = 256 * 1024;
// Records reserved with a new batch; grows by doubling for chunks of very short lines.
inline constexpr uint32_t kInitialRecords = 4096;

// The JSON Schema member for max_line_bytes, spliced into each input's options schema.
#define MAFIO_MAX_LINE_BYTES_SCHEMA                                                                \
    "\"max_line_bytes\":{\"type\":[\"integer\",\"string\"],\"default\":\"1MiB\","                  \
    "\"description\":\"longest line in bytes (a size such as 64KiB); longer lines are truncated, "  \
    "flagged and counted in truncated_lines\"}"

// A record's length is 32 bits wide, hence the upper bound.
inline uint64_t max_line_bytes_option(mafio::Options &opts) {
    return opts.size("max_line_bytes", kDefaultMaxLineBytes, 1, UINT32_MAX);
}

class LineReader {
public:
    LineReader(const mafio::Host &host, uint64_t max_line_bytes)
        : host_(host), max_line_bytes_(max_line_bytes),
          truncated_lines_(host.counter("truncated_lines",
                                        "lines longer than max_line_bytes, truncated")) {}
    ~LineReader() {
        if (batch_) host_.free_batch(batch_);
    }
    LineReader(const LineReader &) = delete;
    LineReader &operator=(const LineReader &) = delete;

    // Reads up to one chunk from `fd`, turns its complete lines into records and emits the batch
    // when it holds at least one. Returns what read(2) returned: the number of bytes, 0 at the
    // end of the data, or -1 with errno set (EINTR is retried here).
    ssize_t read_chunk(int fd) {
        if (!batch_) batch_ = host_.new_batch(kReadChunkBytes, kInitialRecords);
        host_.reserve(batch_, kReadChunkBytes, 0);
        // The carried bytes before this read hold no '\n', so the search starts at the new ones.
        const uint64_t search_from = batch_->arena_size;
        ssize_t n;
        do {
            n = ::read(fd, batch_->arena + batch_->arena_size, kReadChunkBytes);
        } while (n < 0 && errno == EINTR);
        if (n <= 0) return n;
        batch_->arena_size += static_cast<uint64_t>(n);
        hand_over(split_lines(search_from));
        return n;
    }

    // The input is over: its unterminated last line (if any) becomes a record and whatever is
    // pending is emitted.
    void finish() {
        if (!batch_) return;
        if (!skipping_ && batch_->arena_size > 0) add_line(0, batch_->arena_size);
        skipping_ = false;
        mafio_batch *last = batch_;
        batch_ = nullptr;
        if (last->count == 0) {
            host_.free_batch(last);
            return;
        }
        emit(last);
    }

    // Forgets the unterminated last line, for a source that was truncated or replaced.
    void discard_partial_line() {
        if (batch_) batch_->arena_size = 0;
        skipping_ = false;
    }

private:
    // Adds a record for every complete line in the batch and returns the offset where the
    // unterminated rest begins (arena_size when there is nothing to carry).
    uint64_t split_lines(uint64_t search_from) {
        const uint64_t end = batch_->arena_size;
        uint64_t line_start = 0;
        uint64_t pos = search_from;
        while (pos < end) {
            // Re-read arena each time: add_line may reserve records, and reserve may move it.
            const uint8_t *arena = batch_->arena;
            const void *newline = std::memchr(arena + pos, '\n', end - pos);
            if (!newline) break;
            const uint64_t newline_at = static_cast<uint64_t>(static_cast<const uint8_t *>(newline) - arena);
            if (skipping_) skipping_ = false; // the end of a line already emitted truncated
            else add_line(line_start, newline_at - line_start);
            line_start = pos = newline_at + 1;
        }
        if (skipping_) return end;
        if (end - line_start > max_line_bytes_) {
            // Emit the head now instead of carrying an unbounded line from batch to batch.
            add_line(line_start, end - line_start);
            skipping_ = true;
            return end;
        }
        return line_start;
    }

    void add_line(uint64_t offset, uint64_t len) {
        uint32_t flags = 0;
        if (len > max_line_bytes_) {
            len = max_line_bytes_;
            flags = MAFIO_RECORD_TRUNCATED;
            ++truncated_in_batch_;
        }
        if (batch_->count == batch_->records_capacity)
            host_.reserve(batch_, 0, std::max(batch_->count, kInitialRecords));
        batch_->records[batch_->count++] =
            mafio_record{offset, static_cast<uint32_t>(len), flags, /*ts_ns=*/0};
    }

    // Emits the batch if it has records, carrying the unterminated line at `tail_start` over
    // into the next batch; otherwise keeps only that line, at the start of the arena.
    void hand_over(uint64_t tail_start) {
        const uint64_t tail_len = batch_->arena_size - tail_start;
        if (batch_->count == 0) {
            std::memmove(batch_->arena, batch_->arena + tail_start, tail_len);
            batch_->arena_size = tail_len;
            return;
        }
        mafio_batch *next = nullptr;
        if (tail_len > 0) {
            next = host_.new_batch(kReadChunkBytes + tail_len, kInitialRecords);
            std::memcpy(next->arena, batch_->arena + tail_start, tail_len);
            next->arena_size = tail_len;
        }
        batch_->arena_size = tail_start;
        mafio_batch *full = batch_;
        batch_ = next;
        emit(full);
    }

    void emit(mafio_batch *full) {
        host_.add(truncated_lines_, truncated_in_batch_);
        truncated_in_batch_ = 0;
        // MAFIO_ERR_STOPPED still delivers the batch; the host stops this input by itself.
        (void)host_.emit(full);
    }

    mafio::Host host_;
    uint64_t max_line_bytes_;
    mafio_metric_id truncated_lines_;
    // The batch being filled. Between calls it holds no records, only the unterminated last
    // line (at most max_line_bytes bytes, no '\n') from offset 0.
    mafio_batch *batch_ = nullptr;
    // True while dropping the rest of a line that was already emitted truncated.
    bool skipping_ = false;
    uint64_t truncated_in_batch_ = 0;
};

} // namespace mafio_plugins
