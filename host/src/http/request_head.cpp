#include "http/request_head.hpp"

#include <cctype>
#include <charconv>

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
    // "METHOD SP target SP HTTP/1.x": anything else gets a JSON 400 here rather than Poco's
    // bare one later.
    std::string_view line = data.substr(0, line_len);
    size_t sp1 = line.find(' '), sp2 = line.rfind(' ');
    if (sp1 == std::string_view::npos || sp1 == 0 || sp2 == sp1 ||
        line.substr(sp2 + 1).rfind("HTTP/1.", 0) != 0)
        return refused(400, "malformed request line; expected e.g. GET /metrics HTTP/1.1");

    // Header lines up to the empty line that ends the head.
    size_t pos = line_end + 1, fields = 0, header_bytes = 0;
    long long content_length = 0;
    bool has_length = false, chunked = false, expect_continue = false;
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
        if (iequals_prefix(line, "content-length:")) {
            std::string_view v = trimmed(line.substr(15));
            auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), content_length);
            if (v.empty() || ec != std::errc() || p != v.data() + v.size() || content_length < 0)
                return refused(400, "Content-Length is not a number of bytes");
            has_length = true;
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
