#include "http/request_head.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

namespace mafio {

namespace {

HeadVerdict refused(int status, std::string message) {
    HeadVerdict v;
    v.state = HeadVerdict::State::refused;
    v.status = status;
    v.message = std::move(message);
    return v;
}

bool iequals_prefix(std::string_view line, std::string_view name) {
    if (line.size() < name.size()) return false;
    for (size_t i = 0; i < name.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(line[i])) != name[i]) return false;
    return true;
}

// RFC 9110 token characters: what a method and a header name are made of.
bool is_tchar(char c) {
    auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), is_tchar);
}

// A request target is visible ASCII only: no space, no control byte (a bare CR made Poco read
// what followed it as the protocol version), nothing above 0x7E (percent-encode it).
bool is_target(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        auto u = static_cast<unsigned char>(c);
        return u > 0x20 && u < 0x7F;
    });
}

// A field value may hold tabs but no other control byte (a bare CR could end the line for
// one parser and not for another).
bool is_field_value(std::string_view s) {
    return std::none_of(s.begin(), s.end(), [](char c) {
        auto u = static_cast<unsigned char>(c);
        return (u < 0x20 && c != '\t') || u == 0x7F;
    });
}

// Poco refuses longer methods and header names with a bare 400 of its own.
constexpr size_t max_method = 32, max_header_name = 256;

// The request line, "METHOD SP target SP HTTP/1.x", checked strictly: anything else gets a
// JSON error here rather than Poco's bare one, or a status line that echoes a client's token.
std::optional<HeadVerdict> check_request_line(std::string_view line) {
    const char *expected = "; expected e.g. GET /metrics HTTP/1.1";
    size_t sp1 = line.find(' ');
    size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos)
        return refused(400, std::string("malformed request line: not three parts separated by "
                                        "single spaces") +
                                expected);
    std::string_view method = line.substr(0, sp1), target = line.substr(sp1 + 1, sp2 - sp1 - 1),
                     version = line.substr(sp2 + 1);
    if (!is_token(method) || method.size() > max_method)
        return refused(400, "malformed request line: the method is not a token of at most " +
                                std::to_string(max_method) + " characters" + expected);
    if (!is_target(target))
        return refused(400, "malformed request line: the target must be printable ASCII without "
                            "spaces or control characters (percent-encode anything else)");
    if (version == "HTTP/1.1" || version == "HTTP/1.0") return std::nullopt;
    if (version.size() == 8 && version.substr(0, 5) == "HTTP/" &&
        std::isdigit(static_cast<unsigned char>(version[5])) && version[6] == '.' &&
        std::isdigit(static_cast<unsigned char>(version[7])))
        return refused(505, "this API speaks HTTP/1.1 and HTTP/1.0 only");
    return refused(400, std::string("malformed request line: the protocol is not HTTP/1.1 or "
                                    "HTTP/1.0") +
                            expected);
}

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

} // namespace

size_t max_request_bytes(const HttpLimits &l) {
    return l.max_request_line + 2 + l.max_header_bytes + 2 + l.max_body;
}

HeadVerdict inspect_request(std::string_view data, const HttpLimits &limits) {
    size_t line_end = data.find('\n');
    size_t line_len = line_end == std::string_view::npos ? data.size() : line_end;
    if (line_len > 0 && line_end != std::string_view::npos && data[line_len - 1] == '\r')
        --line_len;
    if (line_len > limits.max_request_line)
        return refused(414, "the request line is longer than " +
                                std::to_string(limits.max_request_line) + " bytes");
    if (line_end == std::string_view::npos) return {};
    if (auto bad = check_request_line(data.substr(0, line_len))) return *bad;

    // Header lines up to the empty line that ends the head.
    size_t pos = line_end + 1, fields = 0, header_bytes = 0;
    long long content_length = 0;
    bool has_length = false, has_authorization = false, chunked = false, expect_continue = false;
    for (;;) {
        size_t end = data.find('\n', pos);
        size_t available = (end == std::string_view::npos ? data.size() : end) - pos;
        // Header lines count with their line ends ("\r\n" or "\n"); the empty line that ends
        // the head (or its "\r" so far) does not, whichever line end the client uses.
        const bool ending = available == 0 || (available == 1 && data[pos] == '\r');
        const size_t line_bytes = available + (end == std::string_view::npos ? 0 : 1);
        if (!ending && header_bytes + line_bytes > limits.max_header_bytes)
            return refused(431, "the request headers are longer than " +
                                    std::to_string(limits.max_header_bytes) + " bytes");
        if (end == std::string_view::npos) return {};
        std::string_view line = data.substr(pos, end - pos);
        pos = end + 1;
        if (line.empty() || line == "\r") break;
        header_bytes += line.size() + 1;
        if (++fields > limits.max_header_fields)
            return refused(431, "the request has more than " +
                                    std::to_string(limits.max_header_fields) + " header fields");
        const size_t colon = line.find(':');
        if (colon == std::string_view::npos || !is_token(line.substr(0, colon)))
            return refused(400, "malformed header line: expected Name: value, the name a token "
                                "without spaces (and no line folding)");
        if (colon > max_header_name)
            return refused(431, "a header name is longer than " + std::to_string(max_header_name) +
                                    " characters");
        if (!is_field_value(trimmed(line.substr(colon + 1))))
            return refused(400, "a header value holds a control character");
        if (iequals_prefix(line, "content-length:")) {
            std::string_view v = trimmed(line.substr(15));
            long long value = 0;
            auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
            if (v.empty() || ec != std::errc() || p != v.data() + v.size() || value < 0)
                return refused(400, "Content-Length is not a number of bytes");
            // Two different lengths: whichever one is believed, the other side frames the
            // body differently (request smuggling). The same one repeated is harmless.
            if (has_length && value != content_length)
                return refused(400, "two Content-Length headers with different values");
            content_length = value;
            has_length = true;
        } else if (iequals_prefix(line, "authorization:")) {
            // Which one would be checked is up to the parser; refuse instead of guessing.
            if (has_authorization) return refused(400, "more than one Authorization header");
            has_authorization = true;
        } else if (iequals_prefix(line, "transfer-encoding:")) {
            chunked = true;
        } else if (iequals_prefix(line, "expect:")) {
            expect_continue = true;
        }
    }
    if (chunked)
        return refused(411, "send the body with a Content-Length (at most " +
                                std::to_string(limits.max_body) + " bytes), not chunked");
    if (has_length && static_cast<unsigned long long>(content_length) > limits.max_body)
        return refused(413, "the request body is larger than " + std::to_string(limits.max_body) +
                                " bytes");
    HeadVerdict v;
    v.head_done = true;
    v.expects_continue = expect_continue;
    if (data.size() - pos >= static_cast<size_t>(content_length))
        v.state = HeadVerdict::State::complete;
    return v;
}

} // namespace mafio
