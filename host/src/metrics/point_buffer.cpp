#include "metrics/point_buffer.hpp"

#include <algorithm>

namespace mafio {

size_t PointBuffer::add(std::vector<std::string> lines) {
    for (auto &l : lines)
        lines_.push_back(std::move(l));
    size_t excess = lines_.size() > max_lines_ ? lines_.size() - max_lines_ : 0;
    lines_.erase(lines_.begin(), lines_.begin() + static_cast<std::ptrdiff_t>(excess));
    dropped_ += excess;
    return excess;
}

std::string PointBuffer::front_body(size_t max, size_t &count) const {
    count = std::min(max, lines_.size());
    std::string body;
    for (size_t i = 0; i < count; ++i) {
        body += lines_[i];
        body += '\n';
    }
    return body;
}

void PointBuffer::consume(size_t count) {
    count = std::min(count, lines_.size());
    lines_.erase(lines_.begin(), lines_.begin() + static_cast<std::ptrdiff_t>(count));
}

} // namespace mafio
