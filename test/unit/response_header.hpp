// The value of a response header by name, "" when absent (for the HTTP tests).
#pragma once

#include "http/http_exchange.hpp"

#include <string>

namespace mafio::test {

inline std::string header(const HttpResponse &r, const std::string &name) {
    for (const auto &[k, v] : r.headers)
        if (k == name) return v;
    return "";
}

} // namespace mafio::test
