#include "util/quoted.hpp"

namespace mafio {

std::string quoted(std::string_view value) {
    constexpr size_t shown = 80;
    std::string out = "\"";
    for (char c : value.substr(0, shown)) {
        auto u = static_cast<unsigned char>(c);
        out.push_back(u < 0x20 || u == 0x7F ? '?' : c);
    }
    out.push_back('"');
    if (value.size() > shown) {
        out.insert(out.size() - 1, "...");
        out += " (" + std::to_string(value.size()) + " bytes)";
    }
    return out;
}

} // namespace mafio
