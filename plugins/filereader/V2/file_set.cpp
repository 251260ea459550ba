#include "file_set.hpp"

#include "descriptor_budget.hpp"

#include <algorithm>

namespace mafio_filereader {

void FileSet::reserve_stream(uint32_t stream) {
    next_stream_ = std::max(next_stream_, stream + 1);
}

void FileSet::forget_stream(uint32_t stream) {
    mafio_batch *b = host_.new_batch(0, 0);
    b->stream = stream;
    static const uint8_t nothing = 0;
    host_.set_checkpoint(b, &nothing, 0);
    (void)host_.emit(b);
}

void FileSet::add(std::unique_ptr<TailedFile> f) {
    const FileKey key{f->id.dev, f->id.ino};
    files_.emplace(key, std::move(f));
}

TailedFile *FileSet::find(const FileKey &key) {
    const auto it = files_.find(key);
    return it == files_.end() ? nullptr : it->second.get();
}

std::vector<TailedFile *> FileSet::round_robin_order() {
    std::vector<TailedFile *> order;
    order.reserve(files_.size());
    for (auto &[key, f] : files_)
        order.push_back(f.get());
    if (order.empty()) return order;
    const size_t first = next_first_++ % order.size();
    std::rotate(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(first), order.end());
    return order;
}

void FileSet::drop_dead(DescriptorBudget &descriptors) {
    for (auto it = files_.begin(); it != files_.end();) {
        if (!it->second->dead) {
            ++it;
            continue;
        }
        descriptors.close(*it->second);
        descriptors.forget(*it->second);
        forget_stream(it->second->stream);
        it = files_.erase(it);
    }
}

void FileSet::finish_all() {
    for (auto &[key, f] : files_)
        f->finish();
}

void FileSet::close_all() {
    for (auto &[key, f] : files_)
        f->close();
    files_.clear();
}

} // namespace mafio_filereader
