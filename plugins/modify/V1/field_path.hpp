// Dotted paths into a JSON record: "http.request.method" names member "method" of member
// "request" of member "http" of the top-level object. A key is taken as written: there is no
// escape for a '.' inside one. Used by modify:V1 for every operation.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>
#include <vector>

namespace modify_v1 {

using Value = rapidjson::Value;
using Allocator = rapidjson::Document::AllocatorType;

class FieldPath {
public:
    // Throws std::invalid_argument for "", a leading or trailing '.', or "a..b".
    explicit FieldPath(std::string_view dotted);

    const std::string &text() const { return text_; }

    // The value at this path, or nullptr when a step is missing or not an object.
    Value *find(Value &root) const;

    // Moves the value out (the member is removed). False when there is none.
    bool take(Value &root, Value &out) const;

    // Puts `value` (moved) at this path, creating missing objects on the way. With
    // `only_if_absent`, an existing value stays. False when a step exists and is not an object
    // (a conflict: nothing changes).
    bool put(Value &root, Value &value, Allocator &alloc, bool only_if_absent) const;

private:
    std::string text_;
    std::vector<std::string> steps_;
};

} // namespace modify_v1
