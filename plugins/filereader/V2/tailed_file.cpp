#include "tailed_file.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mafio_filereader {

TailedFile::TailedFile(ReaderEnv &env, uint32_t stream_id, std::string file_path, uint64_t dev,
                       uint64_t ino)
    : stream(stream_id), path(std::move(file_path)), env_(env) {
    id.dev = dev;
    id.ino = ino;
}

TailedFile::~TailedFile() {
    if (fd_ >= 0) ::close(fd_);
}

OpenResult TailedFile::open() {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) return errno == ENOENT || errno == ENOTDIR ? OpenResult::gone : OpenResult::failed;
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        ::close(fd);
        return OpenResult::failed;
    }
    if (!id.same_inode(static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino))) {
        ::close(fd); // the path names another file now; the scan will pick that one up
        return OpenResult::gone;
    }
    const PrefixCheck check =
        check_and_extend_fd(id.fp, fd, env_.opt.fingerprint_bytes, env_.scratch);
    if (check == PrefixCheck::error) {
        ::close(fd);
        return OpenResult::failed;
    }
    fd_ = fd;
    // Reopened after close(): the reader kept its partial line and position (see close()).
    const bool continuing = reader_ && reader_->position() == resume_offset;
    if (!reader_) {
        reader_ = std::make_unique<mafio_plugins::LineReader>(
            env_.host, env_.opt.max_line_bytes, env_.opt.long_lines, env_.m.truncated_lines,
            env_.m.skipped_lines);
        reader_->set_before_emit([this](mafio_batch *b) { stamp(b); });
    }
    const uint64_t size = static_cast<uint64_t>(st.st_size);
    last_size_ = known_size = size;
    ever_opened = true;
    open_error_logged = false;
    env_.host.add(env_.m.files_opened, 1);
    if (check == PrefixCheck::different) {
        // Same inode, other content at the start: rewritten in place (or the inode was reused
        // while the file was closed). Its data is new: read it all.
        restart_from_zero("its first bytes changed since it was last read", size);
    } else if (size < resume_offset) {
        restart_from_zero("it is shorter than the offset reached", size);
    } else {
        if (!continuing) reader_->restart_at(resume_offset);
        if (::lseek(fd_, static_cast<off_t>(resume_offset), SEEK_SET) < 0) {
            close();
            return OpenResult::failed;
        }
    }
    return OpenResult::ok;
}

void TailedFile::close() {
    if (fd_ < 0) return;
    // Only the descriptor goes. The reader holds no read buffer at the end of a file, just its
    // partial line (if any) at its own size: it stays, and reading continues after it. Dropping
    // it would mean reading it again at every reopen, and a file closed with a partial line
    // would never look "nothing new" (exit_on_eof never ended with more such files than
    // max_open_files, reopening them round after round).
    resume_offset = reader_->position();
    ::close(fd_);
    fd_ = -1;
    env_.host.add(env_.m.files_closed, 1);
}

void TailedFile::restart_from_zero(const char *why, uint64_t new_size) {
    env_.host.warn("\"" + path + "\" was truncated or rewritten (" + why + "): offset " +
                   std::to_string(reader_ ? reader_->position() : resume_offset) + ", size now " +
                   std::to_string(new_size) +
                   "; reading it again from the start (lines written between the last read and "
                   "the truncation are lost)");
    env_.host.add(env_.m.truncations, 1);
    ::lseek(fd_, 0, SEEK_SET);
    reader_->restart_at(0);
    resume_offset = 0;
    id.fp = Fingerprint{};
    (void)check_and_extend_fd(id.fp, fd_, env_.opt.fingerprint_bytes, env_.scratch);
}

ReadResult TailedFile::read_once() {
    if (fd_ < 0) return ReadResult::error;
    struct stat st {};
    if (::fstat(fd_, &st) != 0) return ReadResult::error;
    const uint64_t size = static_cast<uint64_t>(st.st_size);
    if (size < reader_->position()) {
        restart_from_zero("it is shorter than the offset reached", size);
    } else if (size != last_size_) {
        // The size moved: appends leave the first bytes alone, a copytruncate followed by
        // fresh writes past our offset does not. One small pread per changed size.
        if (check_and_extend_fd(id.fp, fd_, env_.opt.fingerprint_bytes, env_.scratch) ==
            PrefixCheck::different)
            restart_from_zero("its first bytes changed", size);
    }
    last_size_ = known_size = size;
    if (size <= reader_->position()) return ReadResult::eof;
    const ssize_t n = reader_->read_chunk(fd_);
    if (n < 0) return ReadResult::error;
    return n == 0 ? ReadResult::eof : ReadResult::data;
}

void TailedFile::finish() {
    if (reader_) reader_->finish();
}

void TailedFile::emit_checkpoint() {
    mafio_batch *b = env_.host.new_batch(0, 0);
    stamp(b);
    (void)env_.host.emit(b);
}

void TailedFile::stamp(mafio_batch *b) {
    b->stream = stream;
    const std::vector<uint8_t> cp = encode_checkpoint(FileCheckpoint{id, committed_offset(), path});
    env_.host.set_checkpoint(b, cp.data(), static_cast<uint32_t>(cp.size()));
    uint64_t bytes = 0;
    for (uint32_t i = 0; i < b->count; ++i)
        bytes += b->records[i].len;
    env_.host.add(env_.m.lines, b->count);
    env_.host.add(env_.m.bytes, bytes);
}

long TailedFile::link_count() const {
    struct stat st {};
    if (fd_ < 0 || ::fstat(fd_, &st) != 0) return -1;
    return static_cast<long>(st.st_nlink);
}

uint64_t TailedFile::committed_offset() const {
    return reader_ ? reader_->line_end() : resume_offset;
}

uint64_t TailedFile::read_offset() const {
    return reader_ ? reader_->position() : resume_offset;
}

} // namespace mafio_filereader
