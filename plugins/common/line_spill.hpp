// The unterminated last line a LineReader keeps between two reads, in a heap block of exactly
// its size.
//
// Why not keep it in the batch it was read into: that batch has a read chunk's arena (256 KiB)
// and records array, and a reader follows one file. A filereader following 1,000 files that
// stopped each file mid-line at the end of its chunk held 1,000 chunks (~250 MiB) until every
// file had been read again. Kept here, a partial line costs its own bytes, and the batch goes
// back to the host's pool for the next read of any file.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>

namespace mafio_plugins {

class LineSpill {
public:
    bool empty() const { return size_ == 0; }
    uint64_t size() const { return size_; }
    const uint8_t *data() const { return data_.get(); }

    // Keeps a copy of `n` bytes (replacing what was kept).
    void keep(const uint8_t *bytes, uint64_t n) {
        clear();
        if (n == 0) return;
        // Not zeroed: every byte is overwritten right away.
        data_ = std::make_unique_for_overwrite<uint8_t[]>(n);
        std::memcpy(data_.get(), bytes, n);
        size_ = n;
    }
    void clear() {
        data_.reset();
        size_ = 0;
    }

private:
    std::unique_ptr<uint8_t[]> data_;
    uint64_t size_ = 0;
};

} // namespace mafio_plugins
