#include "config/json_errors.hpp"

#include <algorithm>

namespace mafio {

TextPosition position_at(std::string_view text, size_t offset) {
    offset = std::min(offset, text.size());
    TextPosition pos{1, 1};
    for (size_t i = 0; i < offset; ++i) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (c == '\n') {
            ++pos.line;
            pos.column = 1;
        } else if ((c & 0xC0) != 0x80) {
            // Continuation bytes of a multi-byte character do not move the column.
            ++pos.column;
        }
    }
    return pos;
}

std::string located_message(const std::string &source, std::string_view text, size_t offset,
                            std::string_view message) {
    TextPosition pos = position_at(text, offset);
    return source + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column) + ": " +
           std::string(message);
}

} // namespace mafio
