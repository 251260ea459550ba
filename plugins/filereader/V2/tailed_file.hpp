// One file being followed: its identity, stream id, descriptor (when open), line reader and
// where it is. Everything about reading ONE file lives here (open with identity check, read a
// chunk, notice truncation, checkpoint each batch). Deciding which files exist is
// discovery.cpp's job, when to open or close them descriptor_budget.cpp's, when to release
// them release_policy.cpp's.
//
// Invariant: the checkpoint stamped on a batch never passes a held partial line (it is the
// LineReader's line_end()), so a restart re-reads an unterminated line instead of losing it.
// Memory: between reads a file holds no read buffer, only its partial line (LineReader), open
// or closed, so following many files costs their partial lines, not a chunk each.
#pragma once

#include "checkpoint_codec.hpp"
#include "filereader_options.hpp"
#include "line_reader.hpp"

#include <mafio/plugin.hpp>

#include <memory>
#include <string>
#include <vector>

namespace mafio_filereader {

struct Metrics {
    mafio_metric_id lines, bytes, truncated_lines, skipped_lines, rotations, truncations,
        files_opened, files_closed;
};

// What every file's reading needs from the plugin instance.
struct ReaderEnv {
    mafio::Host host;
    const FileReaderOptions &opt;
    Metrics m;
    std::vector<uint8_t> scratch; // prefix buffer for fingerprint checks, reused
};

enum class FileState {
    active,  // matched by the patterns
    rotated, // renamed out of the patterns while open: read to its end, then released
    deleted  // unlinked while open: read to its end, then released after close_timeout
};

enum class OpenResult {
    ok,
    gone,  // nothing at the path any more, or another file (other inode) is there now
    failed // could not open or read (permissions, EMFILE...): try again later
};

enum class ReadResult { data, eof, error };

class TailedFile {
public:
    TailedFile(ReaderEnv &env, uint32_t stream, std::string path, uint64_t dev, uint64_t ino);
    ~TailedFile();
    TailedFile(const TailedFile &) = delete;
    TailedFile &operator=(const TailedFile &) = delete;

    // Opens the file by path and checks it is still this file (device, inode, and a prefix
    // that matches the fingerprint; a changed prefix is handled like a truncation), then
    // positions it at resume_offset.
    OpenResult open();
    // Closes the descriptor; the file can be reopened later and continues where reading
    // stopped (resume_offset), a held partial line kept meanwhile (its own bytes, see
    // LineReader). Its checkpoint still points before that line.
    void close();
    bool is_open() const { return fd_ >= 0; }

    // Reads at most one chunk (one batch, emitted with this file's stream and checkpoint).
    // Notices truncation and rewrites of the start first.
    ReadResult read_once();
    // The file is finished for good (exit_on_eof, released after rotation or deletion): its
    // unterminated last line, if any, is emitted. The checkpoint stays before it.
    void finish();
    // Emits an empty batch carrying the current checkpoint (used after starting at the tail,
    // so that the position is stored even before any line arrives).
    void emit_checkpoint();

    // st_nlink of the open file (0: deleted), or -1 on error / closed.
    long link_count() const;
    // Opened before, closed now, and the last scan saw nothing past where reading stopped.
    bool nothing_new_while_closed() const { return ever_opened && known_size == resume_offset; }

    // The offset a checkpoint would store now: end of the last complete line.
    uint64_t committed_offset() const;
    // The offset reading has reached (bytes read, including a held partial line).
    uint64_t read_offset() const;

    uint32_t stream;
    std::string path;
    FileIdentity id;
    FileState state = FileState::active;
    uint64_t resume_offset = 0; // while closed: where reading continues
    uint64_t known_size = 0;    // st_size seen by the last scan or read
    bool ever_opened = false;
    bool at_eof = false;
    bool dead = false;               // to be dropped from the table after this round
    bool open_error_logged = false;  // log a failing open once, not every round
    bool checkpoint_on_open = false; // emit a checkpoint right after the first open (tail start)
    Clock::time_point noticed_at{};  // when the rename / deletion was noticed
    Clock::time_point eof_since{};   // when reading last hit the end
    Clock::time_point last_data{};   // when reading last got data (LRU for closing)
    int watch = -1;                  // inotify watch descriptor, -1 if none

private:
    void stamp(mafio_batch *b);
    void restart_from_zero(const char *why, uint64_t new_size);

    ReaderEnv &env_;
    int fd_ = -1;
    std::unique_ptr<mafio_plugins::LineReader> reader_;
    uint64_t last_size_ = 0; // st_size at the last read_once, to check the prefix on change
};

} // namespace mafio_filereader
