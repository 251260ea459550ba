// Splits what an input reads from a file descriptor into line records, shared by stdin:V1,
// filereader:V1 and filereader:V2 so that all truncate, carry and emit lines in exactly the same
// way.
//
// Bytes are read straight into the arena of the batch being built (no per-line allocation or
// copy). A record views its line in place and the '\n' stays right after it in the arena, which
// lets stdout:V1 write a passthrough bulk as one iovec. One read of up to kReadChunkBytes gives
// one batch.
//
// Between two reads a reader holds no batch: the unterminated last line of a read is copied
// into a LineSpill of exactly its size and copied back to the start of the next read's batch,
// which the host takes from its pool of freed batches (so a read does not fault in a fresh
// chunk). A reader per file therefore costs its partial line, not a 256 KiB chunk, and memory
// does not grow with the number of files followed. The one exception is a partial line of at
// least kReadChunkBytes (a long line being assembled): it stays in its batch, whose arena is
// at most twice its size, so that a line arriving in many reads is not copied again each time.
//
// A batch holds at most the host's max_batch_records (mafio_create_args, ABI 1.1), which keeps
// the channels' record bounds meaningful: 256 KiB of short lines would otherwise be ~37k
// records in one batch against a 4096-record channel. Reads are sized from the line length
// seen so far to stay within it, so batches are normally emitted in place; when a chunk still
// has more lines, the first max_batch_records go out as a copy of their own bytes (never the
// rest), so cutting costs at most one copy of each byte, however short the lines.
//
// A line longer than max_line_bytes becomes a record of its first max_line_bytes bytes flagged
// MAFIO_RECORD_TRUNCATED and counted in `truncated_lines`; the rest up to its '\n' is skipped,
// never merged with the next line.
//
// For inputs that checkpoint (filereader:V2) the reader also keeps stream positions: position()
// is how many bytes it has read since restart_at(), line_end() the position just past the last
// complete line (the place a checkpoint may point at: never inside a held partial line), and a
// before-emit hook lets the caller stamp each batch with its stream and checkpoint. Long lines
// can be skipped instead of truncated (LongLines::skip), counted in `skipped_lines`.
#pragma once

#include "line_spill.hpp"

#include <mafio/plugin.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <functional>
#include <unistd.h>

namespace mafio_plugins {

inline constexpr uint64_t kDefaultMaxLineBytes = 1024 * 1024;
inline constexpr uint64_t kReadChunkBytes = 256 * 1024;
// The smallest read when lines are short and max_batch_records small: a syscall per few KiB
// costs more than the occasional cut of a batch.
inline constexpr uint64_t kMinReadBytes = 16 * 1024;
// Records reserved with a new batch; grows by doubling for chunks of very short lines.
inline constexpr uint32_t kInitialRecords = 4096;

// The JSON Schema member for max_line_bytes, spliced into each input's options schema.
#define MAFIO_MAX_LINE_BYTES_SCHEMA                                                                \
    "\"max_line_bytes\":{\"type\":[\"integer\",\"string\"],\"default\":\"1MiB\","                  \
    "\"description\":\"longest line in bytes (a size such as 64KiB); longer lines are truncated, " \
    "flagged and counted in truncated_lines\"}"

// A record's length is 32 bits wide, hence the upper bound.
inline uint64_t max_line_bytes_option(mafio::Options &opts) {
    return opts.size("max_line_bytes", kDefaultMaxLineBytes, 1, UINT32_MAX);
}

// What happens to a line longer than max_line_bytes.
enum class LongLines { truncate, skip };

class LineReader {
public:
    LineReader(const mafio::Host &host, uint64_t max_line_bytes)
        : host_(host), max_line_bytes_(max_line_bytes), max_records_(records_cap(host)),
          truncated_lines_(
              host.counter("truncated_lines", "lines longer than max_line_bytes, truncated")) {}
    // For readers created outside create()/start() (metrics can only be registered there): the
    // caller registers the counters once and passes their ids.
    LineReader(const mafio::Host &host, uint64_t max_line_bytes, LongLines long_lines,
               mafio_metric_id truncated_lines, mafio_metric_id skipped_lines)
        : host_(host), max_line_bytes_(max_line_bytes), max_records_(records_cap(host)),
          long_lines_(long_lines), truncated_lines_(truncated_lines),
          skipped_lines_(skipped_lines) {}
    ~LineReader() {
        if (batch_) host_.free_batch(batch_);
    }
    LineReader(const LineReader &) = delete;
    LineReader &operator=(const LineReader &) = delete;

    // Reads up to one chunk from `fd`, turns its complete lines into records and emits the batch
    // when it holds at least one. Returns what read(2) returned: the number of bytes, 0 at the
    // end of the data, or -1 with errno set (EINTR is retried here).
    ssize_t read_chunk(int fd) {
        if (!batch_) take_batch();
        // A pooled batch's arena is filled as it is rather than regrown (which would allocate
        // a fresh one); a long line being assembled grows its batch as needed.
        const uint64_t room = batch_->arena_capacity - batch_->arena_size;
        const uint64_t want = room >= kMinReadBytes ? std::min(read_bytes_, room) : read_bytes_;
        host_.reserve(batch_, want, 0);
        // The carried bytes before this read hold no '\n', so the search starts at the new ones.
        const uint64_t search_from = batch_->arena_size;
        ssize_t n;
        do {
            n = ::read(fd, batch_->arena + batch_->arena_size, want);
        } while (n < 0 && errno == EINTR);
        if (n <= 0) {
            // Nothing new: the batch goes back unless it is a long line being assembled (a
            // spilled partial line is still in the spill).
            if (!spill_.empty() || batch_->arena_size == 0) drop_batch();
            return n;
        }
        spill_.clear(); // now in the batch
        // A line's event time is when its end was read: one clock read (vDSO, no system call)
        // per chunk, shared by the chunk's lines.
        read_time_ns_ = std::chrono::duration_cast<std::chrono::nanoseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
        batch_->arena_size += static_cast<uint64_t>(n);
        position_ += static_cast<uint64_t>(n);
        lines_in_chunk_ = 0;
        hand_over(split_lines(search_from));
        size_next_read(static_cast<uint64_t>(n));
        return n;
    }

    // Called with each batch just before it is emitted (set its stream and checkpoint here).
    void set_before_emit(std::function<void(mafio_batch *)> hook) {
        before_emit_ = std::move(hook);
    }

    // Bytes read since construction or restart_at() (plus its starting position).
    uint64_t position() const { return position_; }
    // The position just past the '\n' of the last complete line (skipped lines included).
    uint64_t line_end() const { return line_end_; }
    // Bytes of an unterminated line currently held (not yet emitted).
    uint64_t held_bytes() const { return batch_ ? batch_->arena_size : spill_.size(); }
    // Forgets any held partial line and continues as if `position` bytes had been consumed,
    // for a source that was reopened, resumed from a checkpoint, or truncated.
    void restart_at(uint64_t position) {
        discard_partial_line();
        position_ = line_end_ = position;
    }

    // The input is over: its unterminated last line (if any) becomes a record and whatever is
    // pending is emitted.
    void finish() {
        if (!batch_ && spill_.empty()) {
            skipping_ = false;
            return;
        }
        if (!batch_) take_batch();
        spill_.clear();
        if (!skipping_ && batch_->arena_size > 0) add_line(0, batch_->arena_size);
        skipping_ = false;
        mafio_batch *last = batch_;
        batch_ = nullptr;
        if (last->count == 0) {
            host_.free_batch(last);
            report_counts(); // lines skipped since the last batch, which no batch will carry
            return;
        }
        emit(last);
    }

    // Forgets the unterminated last line, for a source that was truncated or replaced.
    void discard_partial_line() {
        if (batch_) drop_batch();
        spill_.clear();
        base_ = 0;
        skipping_ = false;
    }

private:
    // A batch for the next read, starting with the spilled partial line (which stays in the
    // spill until the read brings something). A partial line that leaves less than
    // kMinReadBytes of a chunk gets a batch of its size plus a read.
    void take_batch() {
        const uint64_t held = spill_.size();
        const uint64_t bytes =
            held + kMinReadBytes <= kReadChunkBytes ? kReadChunkBytes : held + read_bytes_;
        batch_ = host_.new_batch(bytes, initial_records());
        if (held) std::memcpy(batch_->arena, spill_.data(), held);
        batch_->arena_size = held;
    }
    // Gives the batch back to the host's pool. It holds no records, and its bytes (if any) are
    // the partial line, already in the spill.
    void drop_batch() {
        host_.free_batch(batch_);
        batch_ = nullptr;
    }

    static uint32_t records_cap(const mafio::Host &host) {
        return host.max_batch_records() ? host.max_batch_records() : UINT32_MAX;
    }
    uint32_t initial_records() const { return std::min(max_records_, kInitialRecords); }

    // The next read is what max_records_ lines of the length just seen take (7/8 of it, as
    // line lengths vary), within [kMinReadBytes, kReadChunkBytes]. Per chunk, not per line.
    void size_next_read(uint64_t bytes_read) {
        const uint64_t avg_line = bytes_read / std::max<uint64_t>(lines_in_chunk_, 1);
        const uint64_t fits = avg_line * max_records_ / 8 * 7;
        read_bytes_ = std::clamp(fits, kMinReadBytes, kReadChunkBytes);
    }

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
            const uint64_t newline_at =
                static_cast<uint64_t>(static_cast<const uint8_t *>(newline) - arena);
            if (skipping_)
                skipping_ = false; // the end of a line already emitted truncated
            else
                add_line(line_start, newline_at - line_start);
            line_start = pos = newline_at + 1;
            // The arena holds the last `end` bytes read, so arena index i is stream byte
            // position_ - end + i.
            line_end_ = position_ - end + line_start;
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
        if (len > max_line_bytes_ && long_lines_ == LongLines::skip) {
            ++skipped_in_batch_;
            return;
        }
        // Full: the records so far leave now; this line starts right after the last one's '\n'.
        if (batch_->count >= max_records_) cut_at(offset);
        ++lines_in_chunk_;
        uint32_t flags = 0;
        if (len > max_line_bytes_) {
            len = max_line_bytes_;
            flags = MAFIO_RECORD_TRUNCATED;
            ++truncated_in_batch_;
        }
        if (batch_->count == batch_->records_capacity)
            host_.reserve(batch_, 0, std::max(batch_->count, kInitialRecords));
        batch_->records[batch_->count++] =
            mafio_record{offset, static_cast<uint32_t>(len), flags, read_time_ns_};
    }

    // Emits the batch if it has records, carrying the unterminated line at `tail_start` over
    // into the next batch; otherwise keeps only that line, at the start of the arena.
    void hand_over(uint64_t tail_start) {
        const uint64_t tail_len = batch_->arena_size - tail_start;
        // After a cut the arena starts with bytes already sent: the last records go out as a
        // copy too (fewer than max_records_ lines), so no batch carries bytes twice.
        if (base_ > 0 && batch_->count > 0) cut_at(tail_start);
        base_ = 0;
        if (batch_->count == 0 && tail_len >= kReadChunkBytes) {
            // A long line being assembled stays where it is (see the top of this file).
            std::memmove(batch_->arena, batch_->arena + tail_start, tail_len);
            batch_->arena_size = tail_len;
            // Nothing to emit, but lines skipped in this chunk are counted now rather than
            // whenever (if ever) a later line makes a batch.
            report_counts();
            return;
        }
        spill_.keep(batch_->arena + tail_start, tail_len);
        batch_->arena_size = tail_start;
        mafio_batch *full = batch_;
        batch_ = nullptr;
        if (full->count == 0) {
            host_.free_batch(full);
            report_counts(); // as above
            return;
        }
        emit(full);
    }

    // Emits the records of batch_ in a new batch holding a copy of arena bytes [base_, end)
    // (their lines and the '\n' after each), and keeps the bytes from `end` in place.
    void cut_at(uint64_t end) {
        const uint64_t bytes = end - base_;
        const uint32_t count = batch_->count;
        mafio_batch *part = host_.new_batch(bytes, count);
        std::memcpy(part->arena, batch_->arena + base_, bytes);
        for (uint32_t i = 0; i < count; ++i) {
            part->records[i] = batch_->records[i];
            part->records[i].offset -= base_;
        }
        part->arena_size = bytes;
        part->count = count;
        batch_->count = 0;
        base_ = end;
        emit(part);
    }

    void report_counts() {
        host_.add(truncated_lines_, truncated_in_batch_);
        truncated_in_batch_ = 0;
        if (skipped_in_batch_) host_.add(skipped_lines_, skipped_in_batch_);
        skipped_in_batch_ = 0;
    }

    void emit(mafio_batch *full) {
        report_counts();
        if (before_emit_) before_emit_(full);
        // MAFIO_ERR_STOPPED still delivers the batch; the host stops this input by itself.
        (void)host_.emit(full);
    }

    mafio::Host host_;
    uint64_t max_line_bytes_;
    uint32_t max_records_;                  // per batch; UINT32_MAX when the host has no bound
    uint64_t read_bytes_ = kReadChunkBytes; // the next read's size (size_next_read)
    uint64_t lines_in_chunk_ = 0;
    // Arena bytes before base_ went out in a cut (cut_at); batch_'s records all lie after it.
    uint64_t base_ = 0;
    LongLines long_lines_ = LongLines::truncate;
    mafio_metric_id truncated_lines_;
    mafio_metric_id skipped_lines_ = 0;
    std::function<void(mafio_batch *)> before_emit_;
    uint64_t position_ = 0;
    int64_t read_time_ns_ = 0; // the wall-clock time of the last read that returned bytes
    uint64_t line_end_ = 0;
    uint64_t skipped_in_batch_ = 0;
    // The batch being filled; null between calls, except while a line of kReadChunkBytes or
    // more is assembled: then it holds no records, only that line (at most max_line_bytes
    // bytes, no '\n') from offset 0.
    mafio_batch *batch_ = nullptr;
    // Between calls: the unterminated last line when batch_ is null (see LineSpill).
    LineSpill spill_;
    // True while dropping the rest of a line that was already emitted truncated.
    bool skipping_ = false;
    uint64_t truncated_in_batch_ = 0;
};

} // namespace mafio_plugins
