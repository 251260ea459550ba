#include "settings.hpp"

#include <Poco/Base64Encoder.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <strings.h>

namespace http_v1 {

namespace {

// The contents of a secret file without its trailing line break. The message names the file,
// never what is in it.
std::string read_secret(const mafio::Options &opts, const char *key, const std::string &path) {
    const std::string where = opts.where() + "." + key + ": \"" + path + "\"";
    std::ifstream in(path, std::ios::binary);
    if (!in) throw mafio::Error(where + " cannot be read (" + std::strerror(errno) + ")");
    std::ostringstream ss;
    ss << in.rdbuf();
    std::string s = ss.str();
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r'))
        s.pop_back();
    if (s.empty()) throw mafio::Error(where + " is empty");
    for (unsigned char c : s)
        if (c < 0x20 || c == 0x7f)
            throw mafio::Error(where + " holds a control character (only its final line break "
                                       "is ignored); a header value cannot carry it");
    return s;
}

std::string base64(const std::string &s) {
    std::ostringstream out;
    Poco::Base64Encoder enc(out);
    enc.rdbuf()->setLineLength(0);
    enc << s;
    enc.close();
    return out.str();
}

// RFC 9110 token characters, what a header name may hold.
bool is_token(const std::string &s) {
    if (s.empty()) return false;
    for (unsigned char c : s)
        if (!(std::isalnum(c) || std::strchr("!#$%&'*+-.^_`|~", c))) return false;
    return true;
}

// Headers the output sets itself (framing, or options of their own).
const char *owned_header(const std::string &name) {
    static const char *const owned[][2] = {
        {"content-length", "the body's length"},       {"transfer-encoding", "the body's framing"},
        {"connection", "keep-alive connection reuse"}, {"host", "the url"},
        {"content-encoding", "the compress option"},
    };
    for (const auto &o : owned)
        if (strcasecmp(name.c_str(), o[0]) == 0) return o[1];
    return nullptr;
}

std::vector<std::pair<std::string, std::string>> read_headers(mafio::Options &opts) {
    auto headers = opts.string_map("headers");
    for (const auto &[name, value] : headers) {
        const std::string where = opts.where() + ".headers." + name;
        if (!is_token(name))
            throw mafio::Error(where + ": not a valid header name (letters, digits and "
                                       "!#$%&'*+-.^_`|~ only)");
        if (const char *by = owned_header(name))
            throw mafio::Error(where + ": set by the output itself (" + std::string(by) + ")");
        for (unsigned char c : value)
            if ((c < 0x20 && c != '\t') || c == 0x7f)
                throw mafio::Error(where + ": the value holds a control character");
    }
    return headers;
}

// The dead-letter file's directory must exist at create, where -check sees it: the first refused
// record would otherwise find out, and be dropped.
void refuse_missing_directory(const mafio::Options &opts, const std::string &path) {
    if (path.empty()) return;
    const std::string dir = std::filesystem::path(path).parent_path().string();
    if (dir.empty()) return;
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        throw mafio::Error(opts.where() + ".dead_letter_path: the directory \"" + dir + "\" of \"" +
                           path + "\" does not exist or is not a directory");
}

std::chrono::milliseconds millis(double s) {
    return std::chrono::milliseconds(static_cast<int64_t>(std::llround(s * 1000)));
}

} // namespace

Settings read_settings(mafio::Options &opts) {
    Settings s;
    const std::string url = opts.required_string("url");
    s.client.endpoint = parse_endpoint(url, opts.where() + ".url");
    s.client.method = opts.choice("method", "POST", {"POST", "PUT"});
    const std::string fmt = opts.choice("format", "ndjson", {"ndjson", "json_array", "raw"});
    s.format = fmt == "raw"          ? Format::raw
               : fmt == "json_array" ? Format::json_array
                                     : Format::ndjson;
    auto headers = read_headers(opts);
    s.gzip = opts.choice("compress", "none", {"none", "gzip"}) == "gzip";

    const std::string user = opts.string("user", "");
    const std::string password_file = opts.string("password_file", "");
    const std::string token_file = opts.string("token_file", "");
    if (!user.empty() && user.find(':') != std::string::npos)
        throw mafio::Error(opts.where() + ".user: a basic-auth user name cannot hold ':'");
    if (user.empty() != password_file.empty())
        throw mafio::Error(opts.where() + (user.empty() ? ".password_file" : ".user") +
                           ": basic auth needs both \"user\" and \"password_file\"");
    if (!user.empty() && !token_file.empty())
        throw mafio::Error(opts.where() + ".token_file: choose basic auth (user, password_file) "
                                          "or a bearer token (token_file), not both");
    s.client.ca_file = opts.string("ca_file", "");
    s.client.insecure = opts.boolean("insecure", false);
    if (!s.client.endpoint.https && (!s.client.ca_file.empty() || s.client.insecure))
        throw mafio::Error(opts.where() + (s.client.insecure ? ".insecure" : ".ca_file") +
                           ": only meaningful with an https:// url");

    s.limits.records = static_cast<uint32_t>(opts.integer("batch_records", 5000, 1, 1000000));
    s.limits.bytes = opts.size("batch_bytes", 4ull * 1024 * 1024, 1024, 256ull * 1024 * 1024);
    const double timeout = opts.seconds("timeout", 10);
    if (timeout < 0.001 || timeout > 3600)
        throw mafio::Error(opts.where() + ".timeout: expected a duration from 1ms to 1h");
    s.client.timeout = millis(timeout);
    s.retry_after_max_s = opts.seconds("retry_after_max", 300);
    s.split_rejected = opts.boolean("split_rejected", true);
    s.dead_letter_path = opts.string("dead_letter_path", "");
    refuse_missing_directory(opts, s.dead_letter_path);
    s.dead_letter_max_size = opts.size("dead_letter_max_size", s.dead_letter_max_size, 1024);
    s.dead_letter_max_files =
        static_cast<uint32_t>(opts.integer("dead_letter_max_files", 5, 0, 1000));

    s.headers.emplace_back("Content-Type", content_type(s.format));
    if (s.gzip) s.headers.emplace_back("Content-Encoding", "gzip");
    if (!user.empty()) {
        const std::string pw = read_secret(opts, "password_file", password_file);
        s.headers.emplace_back("Authorization", "Basic " + base64(user + ":" + pw));
    } else if (!token_file.empty()) {
        s.headers.emplace_back("Authorization",
                               "Bearer " + read_secret(opts, "token_file", token_file));
    }
    for (auto &h : headers) {
        // A configured header replaces a default of the same name (Content-Type, say).
        bool replaced = false;
        for (auto &d : s.headers)
            if (strcasecmp(d.first.c_str(), h.first.c_str()) == 0) {
                if (d.first == "Authorization")
                    throw mafio::Error(opts.where() + ".headers." + h.first +
                                       ": user/password_file or token_file already set it");
                d.second = h.second;
                replaced = true;
            }
        if (!replaced) s.headers.push_back(std::move(h));
    }
    return s;
}

} // namespace http_v1
