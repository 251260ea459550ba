// http:V1's options, each read and checked once at create (so that -check reports them), in
// the order `known options:` lists them. Secrets are read from their files here and kept only
// in the Authorization header value; no message ever includes them.
#pragma once

#include "body.hpp"
#include "client.hpp"

#include <mafio/options.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace http_v1 {

struct Settings {
    ClientSettings client;
    Format format = Format::ndjson;
    Limits limits;
    bool gzip = false;
    // Every header of a request but Content-Length: Content-Type, Content-Encoding,
    // Authorization, then the configured ones.
    std::vector<std::pair<std::string, std::string>> headers;
    double retry_after_max_s = 300;
    bool split_rejected = true;
    std::string dead_letter_path;
    uint64_t dead_letter_max_size = 100ull * 1024 * 1024;
    uint32_t dead_letter_max_files = 5;
};

Settings read_settings(mafio::Options &opts);

} // namespace http_v1
