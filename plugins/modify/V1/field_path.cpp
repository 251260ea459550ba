#include "field_path.hpp"

#include <stdexcept>

namespace modify_v1 {

namespace {

Value *member(Value &object, const std::string &key) {
    auto it = object.FindMember(rapidjson::StringRef(key.data(), key.size()));
    return it == object.MemberEnd() ? nullptr : &it->value;
}

} // namespace

FieldPath::FieldPath(std::string_view dotted) : text_(dotted) {
    size_t start = 0;
    while (true) {
        const size_t dot = dotted.find('.', start);
        const std::string_view step = dotted.substr(start, dot - start);
        if (step.empty())
            throw std::invalid_argument("\"" + text_ +
                                        "\": expected a key or dotted path such as "
                                        "\"http.status\" (no empty step)");
        steps_.emplace_back(step);
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
}

Value *FieldPath::find(Value &root) const {
    Value *at = &root;
    for (const auto &step : steps_) {
        if (!at->IsObject()) return nullptr;
        at = member(*at, step);
        if (!at) return nullptr;
    }
    return at;
}

bool FieldPath::take(Value &root, Value &out) const {
    Value *parent = &root;
    for (size_t i = 0; i + 1 < steps_.size(); ++i) {
        if (!parent->IsObject()) return false;
        parent = member(*parent, steps_[i]);
        if (!parent) return false;
    }
    if (!parent->IsObject()) return false;
    const std::string &last = steps_.back();
    auto it = parent->FindMember(rapidjson::StringRef(last.data(), last.size()));
    if (it == parent->MemberEnd()) return false;
    out = it->value; // moves
    parent->EraseMember(it);
    return true;
}

bool FieldPath::put(Value &root, Value &value, Allocator &alloc, bool only_if_absent) const {
    Value *at = &root;
    for (size_t i = 0; i < steps_.size(); ++i) {
        if (!at->IsObject()) return false;
        const std::string &step = steps_[i];
        Value *next = member(*at, step);
        const bool last = i + 1 == steps_.size();
        if (last) {
            if (next) {
                if (!only_if_absent) *next = value;
                return true;
            }
            at->AddMember(Value(step.data(), static_cast<rapidjson::SizeType>(step.size()), alloc),
                          value, alloc);
            return true;
        }
        if (!next) {
            at->AddMember(Value(step.data(), static_cast<rapidjson::SizeType>(step.size()), alloc),
                          Value(rapidjson::kObjectType), alloc);
            next = &(at->MemberEnd() - 1)->value;
        }
        at = next;
    }
    return true;
}

} // namespace modify_v1
