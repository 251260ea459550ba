// RFC 6587 framing of syslog over a byte stream (TCP), one framer per connection. Pure (no
// host, no I/O): feed it what each read returned, in any pieces, and it calls the sink once per
// message.
//
// The framing is detected per frame, as rsyslog does: a frame that starts with 1 to 10 digits
// and a space is octet-counted ("MSG-LEN SP SYSLOG-MSG"); anything else is one line, ended by
// LF (a CR before it is dropped). A syslog message starts with '<', so the two never meet; a
// line without a PRI that happens to start with "<digits> " is read as octet-counted. Empty
// lines and zero-length frames carry nothing and are skipped; a complete octet-counted frame
// loses its trailing LF, CR or NUL bytes (trim_frame_end).
//
// A message longer than max_bytes is cut to its first max_bytes bytes (the sink is told it is
// truncated) and the rest of it is skipped, never taken for the next message. Memory: the
// framer keeps only an incomplete message (at most max_bytes plus a 11-byte count) between
// feeds, so an idle connection costs nothing and a slow one its partial frame.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

namespace syslog_v1 {

// A trailing LF, CR or NUL of a datagram or an octet-counted frame is framing some senders add
// (rsyslog's RFC 5424 template ends with LF, syslog(3) may end with NUL), not message: records
// never hold their line terminator.
inline std::string_view trim_frame_end(std::string_view m) {
    while (!m.empty() && (m.back() == '\n' || m.back() == '\r' || m.back() == '\0'))
        m.remove_suffix(1);
    return m;
}

class StreamFramer {
public:
    explicit StreamFramer(size_t max_bytes) : max_(max_bytes) {}

    // sink(std::string_view message, bool truncated). The view is valid during the call only.
    template <class Sink> void feed(std::string_view chunk, Sink &&sink) {
        std::string_view data = chunk;
        if (!partial_.empty()) {
            partial_.append(chunk);
            data = partial_;
        }
        const size_t used = consume(data, sink);
        if (data.data() == partial_.data())
            partial_.erase(0, used);
        else
            partial_.assign(data.substr(used));
        if (partial_.empty() && partial_.capacity() > kKeepCapacity) std::string().swap(partial_);
    }

    // The stream ended: an unterminated last line is a message; an octet-counted frame cut
    // short is delivered as it is, truncated.
    template <class Sink> void finish(Sink &&sink) {
        if (!partial_.empty() && skip_ == 0 && !skip_line_) {
            std::string_view rest = partial_;
            const size_t frame = octet_header(rest);
            if (frame != kNotOctet && frame != kNeedMore) {
                rest.remove_prefix(frame);
                if (!rest.empty()) sink(rest, true);
            } else {
                if (!rest.empty() && rest.back() == '\r') rest.remove_suffix(1);
                if (!rest.empty()) sink(rest, false);
            }
        }
        partial_.clear();
        skip_ = 0;
        skip_line_ = false;
    }

    // Bytes held of an incomplete message.
    size_t held() const { return partial_.size(); }

private:
    static constexpr size_t kNotOctet = SIZE_MAX, kNeedMore = SIZE_MAX - 1;
    static constexpr size_t kKeepCapacity = 64 * 1024;

    // For data starting with "digits SP": the header length (digits and SP), the count in
    // count_; kNotOctet when it is no octet-count header; kNeedMore when it cannot be told yet.
    size_t octet_header(std::string_view d) {
        size_t k = 0;
        uint64_t n = 0;
        while (k < d.size() && k < 11 && d[k] >= '0' && d[k] <= '9')
            n = n * 10 + static_cast<uint64_t>(d[k++] - '0');
        if (k == 0 || k > 10) return kNotOctet;
        if (k == d.size()) return kNeedMore;
        if (d[k] != ' ') return kNotOctet;
        count_ = n;
        return k + 1;
    }

    template <class Sink> size_t consume(std::string_view d, Sink &sink) {
        size_t pos = 0;
        while (pos < d.size()) {
            if (skip_ > 0) { // the rest of an octet-counted message already delivered truncated
                const size_t take = static_cast<size_t>(
                    std::min<uint64_t>(skip_, static_cast<uint64_t>(d.size() - pos)));
                pos += take;
                skip_ -= take;
                continue;
            }
            if (skip_line_) { // the rest of a line already delivered truncated
                const size_t lf = d.find('\n', pos);
                if (lf == std::string_view::npos) return d.size();
                skip_line_ = false;
                pos = lf + 1;
                continue;
            }
            const std::string_view rest = d.substr(pos);
            const size_t header = octet_header(rest);
            if (header == kNeedMore) return pos;
            if (header != kNotOctet) {
                const std::string_view body = rest.substr(header);
                if (count_ <= max_) {
                    if (body.size() < count_) return pos;
                    const std::string_view m =
                        trim_frame_end(body.substr(0, static_cast<size_t>(count_)));
                    if (!m.empty()) sink(m, false);
                    pos += header + static_cast<size_t>(count_);
                } else {
                    if (body.size() < max_) return pos;
                    sink(body.substr(0, max_), true);
                    skip_ = count_ - max_;
                    pos += header + max_;
                }
                continue;
            }
            const size_t lf = rest.find('\n');
            if (lf == std::string_view::npos) {
                if (rest.size() <= max_) return pos;
                sink(rest.substr(0, max_), true);
                skip_line_ = true;
                return d.size();
            }
            std::string_view line = rest.substr(0, lf);
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            if (line.size() > max_)
                sink(line.substr(0, max_), true);
            else if (!line.empty())
                sink(line, false);
            pos += lf + 1;
        }
        return pos;
    }

    size_t max_;
    std::string partial_;
    uint64_t count_ = 0; // MSG-LEN of the octet-count header just read
    uint64_t skip_ = 0;  // bytes of a truncated octet-counted message still to skip
    bool skip_line_ = false;
};

} // namespace syslog_v1
