#include "interned_tag.hpp"

#include <mutex>
#include <set>

namespace mafio {

const std::string *interned_tag(std::string_view tag) {
    static std::mutex mutex;
    // Never destroyed: batches freed by threads still running at exit may point into it.
    static auto *tags = new std::set<std::string, std::less<>>;
    std::lock_guard lock(mutex);
    auto it = tags->find(tag);
    if (it == tags->end()) it = tags->emplace(tag).first;
    return &*it;
}

} // namespace mafio
