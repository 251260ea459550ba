#include "http/admin_token.hpp"

#include "util/quoted.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace mafio {

namespace {

constexpr size_t min_token = 16, max_token = 1024;
const char *const how_to_make = "e.g. openssl rand -hex 32 > FILE; chmod 600 FILE";

// RFC 6750 b64token: 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
bool is_b64token(std::string_view t) {
    size_t end = t.find_last_not_of('=');
    if (end == std::string_view::npos) return false;
    std::string_view body = t.substr(0, end + 1);
    return std::all_of(body.begin(), body.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) ||
               std::string_view("-._~+/").find(c) != std::string_view::npos;
    });
}

// The token, or why the file does not hold one. Never quotes the content.
std::string load(const std::string &path, std::string &why) {
    const std::string shown = mafio::quoted(path);
    std::error_code ec;
    auto st = std::filesystem::status(path, ec);
    if (ec) {
        why = "cannot read " + shown + ": " + ec.message();
        return {};
    }
    // A FIFO would block the start; a directory cannot hold a token.
    if (st.type() != std::filesystem::file_type::regular) {
        why = shown + " is not a regular file; expected a file holding the token (" + how_to_make +
              ")";
        return {};
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        why = "cannot read " + shown + ": " + std::strerror(errno);
        return {};
    }
    std::string text(max_token + 256, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<size_t>(in.gcount()));
    // One token; the line end (and any white space) an editor or echo adds does not count.
    size_t first = text.find_first_not_of(" \t\r\n");
    size_t last = text.find_last_not_of(" \t\r\n");
    std::string token = first == std::string::npos ? "" : text.substr(first, last - first + 1);
    if (token.empty()) {
        why = shown + " is empty; expected one token (" + how_to_make + ")";
    } else if (!is_b64token(token)) {
        why = shown + " does not hold one token: expected only A-Z a-z 0-9 - . _ ~ + / (and = " +
              "at the end), on one line";
    } else if (token.size() < min_token || token.size() > max_token || !in.eof()) {
        why = "the token in " + shown + " must be " + std::to_string(min_token) + " to " +
              std::to_string(max_token) + " characters long (" + how_to_make + ")";
    } else {
        return token;
    }
    return {};
}

} // namespace

std::optional<std::string> check_admin_token_file(std::string_view path) {
    if (path.empty()) return std::nullopt; // none: loopback only
    std::string why;
    load(std::string(path), why);
    if (why.empty()) return std::nullopt;
    return why;
}

std::string read_admin_token(const std::string &path) {
    std::string why;
    std::string token = load(path, why);
    if (!why.empty()) throw std::runtime_error(why);
    return token;
}

} // namespace mafio
