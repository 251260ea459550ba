// Turning a byte offset in a JSON text into the "FILE:LINE:COL: message" form that editors and
// terminals recognise.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mafio {

struct TextPosition {
    size_t line;   // 1-based
    size_t column; // 1-based, in characters (UTF-8 code points), not bytes
};

// The position of byte `offset` in `text`; an offset past the end means the end.
TextPosition position_at(std::string_view text, size_t offset);

// "SOURCE:LINE:COL: message".
std::string located_message(const std::string &source, std::string_view text, size_t offset,
                            std::string_view message);

} // namespace mafio
