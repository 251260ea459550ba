#include "http_parser.hpp"

#include <cctype>
#include <cstring>
#include <string_view>

namespace tcpdump_v1 {

namespace {

// Chunk-size and trailer lines longer than this are garbage, not HTTP.
constexpr size_t kMaxFramingLine = 4096;
constexpr size_t kMaxMethod = 24;

std::string_view strip_cr(std::string_view s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

bool digits(std::string_view s, uint64_t &out) {
    if (s.empty() || s.size() > 18) return false;
    out = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        out = out * 10 + static_cast<uint64_t>(c - '0');
    }
    return true;
}

bool is_version(std::string_view v) {
    return v.size() == 8 && v.substr(0, 7) == "HTTP/1." && (v[7] == '0' || v[7] == '1');
}

} // namespace

bool is_request_line(const std::string &raw) {
    const std::string_view l = strip_cr(raw);
    const size_t sp1 = l.find(' ');
    if (sp1 == std::string_view::npos || sp1 == 0 || sp1 > kMaxMethod) return false;
    // Methods are upper-case tokens in practice; accepting only those keeps resync from
    // mistaking a line of a body for a request.
    for (size_t i = 0; i < sp1; ++i)
        if (!(std::isupper(static_cast<unsigned char>(l[i])) || l[i] == '-' || l[i] == '_'))
            return false;
    const size_t sp2 = l.rfind(' ');
    if (sp2 == sp1 || sp2 == sp1 + 1) return false;
    const std::string_view target = l.substr(sp1 + 1, sp2 - sp1 - 1);
    for (char c : target)
        if (c == ' ' || static_cast<unsigned char>(c) < 0x21 || c == 0x7F) return false;
    return is_version(l.substr(sp2 + 1));
}

bool is_status_line(const std::string &raw) {
    const std::string_view l = strip_cr(raw);
    if (l.size() < 12 || !is_version(l.substr(0, 8)) || l[8] != ' ') return false;
    for (size_t i = 9; i < 12; ++i)
        if (l[i] < '0' || l[i] > '9') return false;
    return l.size() == 12 || l[12] == ' ';
}

void HttpParser::resync(bool mid_line, bool count) {
    if (count) ++counters_.resyncs;
    head_.clear();
    msg_ = HttpMessage{};
    skip_line_ = mid_line;
    state_ = State::resync;
}

void HttpParser::complete() {
    events_.on_complete(request_, msg_);
    msg_ = HttpMessage{};
    head_.clear();
    state_ = State::start;
}

// Appends up to the end of a line to head_, bounded by kMaxFramingLine.
HttpParser::Line HttpParser::take_line(const char *p, size_t n, size_t &used) {
    const char *nl = static_cast<const char *>(std::memchr(p, '\n', n));
    used = nl ? static_cast<size_t>(nl - p) + 1 : n;
    msg_.bytes += used;
    if (head_.size() + used > kMaxFramingLine) return Line::too_long;
    head_.append(p, used);
    return nl ? Line::complete : Line::partial;
}

// Appends to the head until its blank line; false when it grew past max_head.
size_t HttpParser::take_head(const char *p, size_t n, int64_t ts) {
    const char *nl = static_cast<const char *>(std::memchr(p, '\n', n));
    const size_t used = nl ? static_cast<size_t>(nl - p) + 1 : n;
    const bool had_first_line = head_.find('\n') != std::string::npos;
    if (head_.size() + used > max_head_) {
        if (!had_first_line) { // no start line is that long: garbage
            resync(nl == nullptr);
            return used;
        }
        // What was read is reported; the framing is unknown, so the parser resyncs after it.
        ++counters_.heads_too_large;
        msg_.bytes += head_.size() + used;
        msg_.head_truncated = true;
        parse_head();
        events_.on_head(request_, msg_);
        events_.on_complete(request_, msg_);
        resync(nl == nullptr, false); // counted as too large, not as garbage
        return used;
    }
    head_.append(p, used);
    if (!nl) return used;
    if (!had_first_line) {
        if (!(request_ ? is_request_line(head_) : is_status_line(head_))) {
            resync(false); // garbage: look for the next start line
            return used;
        }
        return used;
    }
    const std::string_view h(head_);
    if (h.size() >= 2 && (h.substr(h.size() - 2) == "\n\n" ||
                          (h.size() >= 3 && h.substr(h.size() - 3) == "\n\r\n"))) {
        msg_.bytes += head_.size();
        head_done(ts);
    }
    return used;
}

// Reads the start line and the headers this parser needs from head_.
void HttpParser::parse_head() {
    std::string_view h(head_);
    size_t eol = h.find('\n');
    const std::string_view first = strip_cr(h.substr(0, eol));
    if (request_) {
        const size_t sp1 = first.find(' '), sp2 = first.rfind(' ');
        msg_.method.assign(first.substr(0, sp1));
        msg_.url.assign(first.substr(sp1 + 1, sp2 - sp1 - 1));
    } else {
        msg_.status = (first[9] - '0') * 100 + (first[10] - '0') * 10 + (first[11] - '0');
    }
    chunked_ = false;
    has_length_ = false;
    bad_length_ = false;
    while (eol != std::string_view::npos && eol + 1 < h.size()) {
        const size_t start = eol + 1;
        eol = h.find('\n', start);
        const std::string_view line =
            strip_cr(h.substr(start, eol == std::string_view::npos ? eol : eol - start));
        const size_t colon = line.find(':');
        if (colon == std::string_view::npos) continue; // not a header: ignored
        const std::string_view name = line.substr(0, colon);
        const std::string_view value = trim(line.substr(colon + 1));
        if (iequals(name, "content-length")) {
            uint64_t n = 0;
            if (!digits(value, n) || (has_length_ && n != length_)) bad_length_ = true;
            has_length_ = true;
            length_ = n;
        } else if (iequals(name, "transfer-encoding")) {
            // chunked is the final coding when it is last in the list.
            const size_t comma = value.rfind(',');
            chunked_ = iequals(
                trim(comma == std::string_view::npos ? value : value.substr(comma + 1)), "chunked");
        } else if (iequals(name, "host")) {
            msg_.host.assign(value);
        }
    }
}

void HttpParser::head_done(int64_t /*ts*/) {
    parse_head();
    if (request_) {
        events_.on_head(true, msg_);
        if (msg_.method == "CONNECT") { // a tunnel follows, not HTTP
            complete();
            state_ = State::opaque;
            return;
        }
        if (bad_length_) { // the body cannot be found: what follows is looked through
            complete();
            resync(false);
            return;
        }
        if (chunked_) {
            head_.clear();
            state_ = State::chunk_size;
        } else if (has_length_ && length_ > 0) {
            head_.clear();
            remaining_ = length_;
            state_ = State::body;
        } else {
            complete();
        }
        return;
    }
    const std::string method = events_.answered_method();
    const int st = msg_.status;
    if (st >= 100 && st < 200 && st != 101) { // 100 Continue and friends: a final one follows
        msg_ = HttpMessage{};
        head_.clear();
        state_ = State::start;
        return;
    }
    events_.on_head(false, msg_);
    if (st == 101 || (method == "CONNECT" && st >= 200 && st < 300)) {
        complete();
        state_ = State::opaque;
        return;
    }
    head_.clear();
    if (method == "HEAD" || st == 204 || st == 304) {
        complete();
    } else if (chunked_) {
        state_ = State::chunk_size;
    } else if (has_length_ && !bad_length_) {
        remaining_ = length_;
        if (length_ == 0)
            complete();
        else
            state_ = State::body;
    } else {
        state_ = State::until_close;
    }
}

bool HttpParser::chunk_size_line() {
    std::string_view l = trim(strip_cr(head_));
    const size_t semi = l.find(';');
    if (semi != std::string_view::npos) l = trim(l.substr(0, semi));
    if (l.empty() || l.size() > 15) return false;
    uint64_t n = 0;
    for (char c : l) {
        const int v = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                      : (std::tolower(static_cast<unsigned char>(c)) >= 'a' &&
                         std::tolower(static_cast<unsigned char>(c)) <= 'f')
                          ? std::tolower(static_cast<unsigned char>(c)) - 'a' + 10
                          : -1;
        if (v < 0) return false;
        n = n * 16 + static_cast<uint64_t>(v);
    }
    remaining_ = n;
    return true;
}

void HttpParser::on_data(const uint8_t *data, size_t len, int64_t ts) {
    const char *p = reinterpret_cast<const char *>(data);
    size_t i = 0;
    while (i < len) {
        const char *q = p + i;
        const size_t n = len - i;
        size_t used = 0;
        switch (state_) {
        case State::start:
            if (*q == '\r' || *q == '\n') { // stray line ends between messages
                i += 1;
                break;
            }
            msg_ = HttpMessage{};
            msg_.first_ts = ts;
            head_.clear();
            state_ = State::head;
            break;
        case State::head:
            i += take_head(q, n, ts);
            break;
        case State::body: {
            const uint64_t take = remaining_ < n ? remaining_ : n;
            msg_.bytes += take;
            remaining_ -= take;
            i += take;
            if (remaining_ == 0) complete();
            break;
        }
        case State::chunk_size: {
            const Line l = take_line(q, n, used);
            i += used;
            if (l == Line::partial) break;
            if (l == Line::too_long || !chunk_size_line()) {
                complete(); // cut: its end cannot be found
                resync(l == Line::too_long);
                break;
            }
            head_.clear();
            state_ = remaining_ == 0 ? State::trailer : State::chunk_data;
            break;
        }
        case State::chunk_data: {
            const uint64_t take = remaining_ < n ? remaining_ : n;
            msg_.bytes += take;
            remaining_ -= take;
            i += take;
            if (remaining_ == 0) state_ = State::chunk_end;
            break;
        }
        case State::chunk_end:
        case State::trailer: {
            const Line l = take_line(q, n, used);
            i += used;
            if (l == Line::partial) break;
            if (l == Line::too_long) {
                complete();
                resync(true);
                break;
            }
            const bool empty = strip_cr(head_).empty();
            head_.clear();
            if (state_ == State::chunk_end)
                state_ = State::chunk_size; // the CRLF after the data
            else if (empty)
                complete(); // the blank line after the trailers
            break;
        }
        case State::until_close:
            msg_.bytes += n;
            i = len;
            break;
        case State::resync: {
            const char *nl = static_cast<const char *>(std::memchr(q, '\n', n));
            used = nl ? static_cast<size_t>(nl - q) + 1 : n;
            i += used;
            if (skip_line_) {
                skip_line_ = nl == nullptr;
                break;
            }
            if (head_.size() + used > max_head_) { // no start line is that long
                head_.clear();
                skip_line_ = nl == nullptr;
                break;
            }
            head_.append(q, used);
            if (!nl) break;
            if (request_ ? is_request_line(head_) : is_status_line(head_)) {
                msg_ = HttpMessage{};
                msg_.first_ts = ts;
                state_ = State::head; // head_ holds its first line
            } else {
                head_.clear();
            }
            break;
        }
        case State::opaque:
            i = len;
            break;
        }
    }
}

void HttpParser::on_gap(uint64_t len, int64_t /*ts*/) {
    switch (state_) {
    case State::body:
    case State::chunk_data:
        if (len <= remaining_) { // inside a body: its framing still holds
            msg_.bytes += len;
            remaining_ -= len;
            if (remaining_ == 0) {
                if (state_ == State::body)
                    complete();
                else
                    state_ = State::chunk_end;
            }
            return;
        }
        msg_.bytes += remaining_;
        complete();
        resync(true);
        return;
    case State::until_close:
        msg_.bytes += len;
        return;
    case State::head:
        ++counters_.heads_lost;
        resync(true);
        return;
    case State::chunk_size:
    case State::chunk_end:
    case State::trailer:
        complete();
        resync(true);
        return;
    case State::start:
        resync(true);
        return;
    case State::resync:
        head_.clear();
        skip_line_ = true;
        return;
    case State::opaque:
        return;
    }
}

void HttpParser::finish(int64_t /*ts*/) {
    switch (state_) {
    case State::until_close:
    case State::body:
    case State::chunk_size:
    case State::chunk_data:
    case State::chunk_end:
    case State::trailer:
        complete();
        break;
    case State::head:
        ++counters_.heads_lost;
        break;
    default:
        break;
    }
    head_.clear();
    head_.shrink_to_fit();
    state_ = State::opaque;
}

} // namespace tcpdump_v1
