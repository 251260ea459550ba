// With on_failure "retry", write() returns the done prefix of its bulk; records after the
// failed one whose jobs had already succeeded (with concurrency > 1) are remembered here, so
// that the host's retry of the rest does not run them a second time.
//
// Keyed by the batch (the host retries with the same batch, mafio/abi/vtables.h) and the
// record's index in it, and checked against the record's bytes: a batch freed and another
// allocated at the same address cannot pass for it. Forgotten when a bulk is done or another
// batch comes.
#pragma once

#include <mafio/plugin.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace command_v1 {

class RetryMemo {
public:
    void use(const mafio_batch *batch) {
        if (batch != batch_) clear();
        batch_ = batch;
    }
    void remember(uint32_t index, std::string_view record) {
        done_.emplace_back(index, std::string(record));
    }
    bool done(uint32_t index, std::string_view record) const {
        for (const auto &[i, bytes] : done_)
            if (i == index && bytes == record) return true;
        return false;
    }
    void clear() {
        done_.clear();
        batch_ = nullptr;
    }

private:
    const mafio_batch *batch_ = nullptr;
    std::vector<std::pair<uint32_t, std::string>> done_;
};

} // namespace command_v1
