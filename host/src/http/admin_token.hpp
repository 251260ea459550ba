// The file that holds the admin bearer token (http.admin_token_file, -http-admin-token-file;
// see admin_access.hpp). Apart from the rule itself so that the config reader can check the
// file, as -check does, without the HTTP server's headers.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mafio {

// The check for http.admin_token_file and its flag: a readable regular file that holds one
// token (RFC 6750 characters, 16 to 1024 of them, and any white space around it). Says why
// not, never showing the file's content. "" is accepted: no token file.
std::optional<std::string> check_admin_token_file(std::string_view path);

// The token in `path`; throws std::runtime_error with check_admin_token_file's reason.
std::string read_admin_token(const std::string &path);

} // namespace mafio
