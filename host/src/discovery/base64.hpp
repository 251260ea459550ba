// Base64 (RFC 4648, standard alphabet, padded): etcd's JSON gateway carries every key and value
// this way.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mafio {

std::string base64_encode(std::string_view bytes);
// std::nullopt on a character outside the alphabet or a length that is not a multiple of 4.
std::optional<std::string> base64_decode(std::string_view text);

} // namespace mafio
