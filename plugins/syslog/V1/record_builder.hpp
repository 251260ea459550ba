// Turns received syslog messages into records of the batch being built, in `raw` or `json`
// format, and emits the batch when it is full or when the caller has read what was ready.
//
// Every message is parsed, in both formats: the record time is the message's timestamp where it
// has one (else the receive time), and malformed messages are counted whatever the format. A
// malformed message is never dropped: raw delivers its bytes, json an object with parse_error.
// Counters are added once per batch, never per message.
#pragma once

#include "json_render.hpp"
#include "syslog_message.hpp"

#include <mafio/plugin.hpp>

#include <chrono>
#include <string>
#include <string_view>

namespace syslog_v1 {

struct MessageCounters {
    mafio_metric_id messages, bytes, truncated, malformed, invalid_utf8;

    explicit MessageCounters(const mafio::Host &h)
        : messages(h.counter("messages", "syslog messages received (one record each)")),
          bytes(h.counter("bytes", "bytes of syslog messages received, without framing")),
          truncated(h.counter("truncated_messages",
                              "messages longer than max_message_bytes (or cut short by a closed "
                              "connection), delivered truncated and flagged")),
          malformed(h.counter("malformed_messages",
                              "messages without a valid PRI or with a broken RFC 5424 header, "
                              "delivered as received (json: with parse_error)")),
          invalid_utf8(h.counter("invalid_utf8_messages",
                                 "messages that are not valid UTF-8, delivered (json: the "
                                 "invalid bytes replaced by U+FFFD, with parse_error)")) {}
};

class RecordBuilder {
public:
    RecordBuilder(const mafio::Host &host, bool json)
        : host_(host), json_(json), counters_(host),
          max_records_(host.max_batch_records() ? host.max_batch_records() : 4096) {}
    ~RecordBuilder() {
        if (batch_) host_.free_batch(batch_);
    }
    RecordBuilder(const RecordBuilder &) = delete;
    RecordBuilder &operator=(const RecordBuilder &) = delete;

    // One message (framing removed). `recv_ns`: when it was read (CLOCK_REALTIME).
    void add(std::string_view frame, bool truncated, int64_t recv_ns) {
        if (!batch_) batch_ = host_.new_batch(kBatchBytes, max_records_);
        const Message m = parse_message(frame, recv_ns, clock_);
        const bool utf8_ok = utf8_valid_prefix(frame) == frame.size();
        const uint32_t flags = truncated ? MAFIO_RECORD_TRUNCATED : 0;
        const int64_t ts = m.ts_ns != 0 ? m.ts_ns : recv_ns;
        if (json_) {
            json_buf_.clear();
            render_json(m, frame, truncated, utf8_ok, json_buf_);
            mafio::append_record(host_, batch_, json_buf_, flags, ts);
        } else {
            mafio::append_record(host_, batch_, frame, flags, ts);
        }
        ++pending_.messages;
        pending_.bytes += frame.size();
        pending_.truncated += truncated;
        pending_.invalid_utf8 += !utf8_ok;
        if (m.error) {
            ++pending_.malformed;
            note_malformed(m.error, frame);
        }
        if (batch_->count >= max_records_ || batch_->arena_size >= kBatchBytes) emit();
    }

    // A message cut short that the framer could not deliver (nothing to deliver): counted.
    void count_truncated() { ++pending_.truncated; }

    // Emits the batch being built, if it holds anything. Blocks while the pipeline is full:
    // that is the backpressure (no socket is read meanwhile).
    void emit() {
        flush_counters();
        if (!batch_) return;
        mafio_batch *b = batch_;
        batch_ = nullptr;
        if (b->count == 0) {
            host_.free_batch(b);
            return;
        }
        // MAFIO_ERR_STOPPED still delivers the batch; the host stops this input by itself.
        (void)host_.emit(b);
    }

private:
    // Bytes after which a batch leaves even below max_batch_records (long messages).
    static constexpr uint64_t kBatchBytes = 1024 * 1024;
    static constexpr auto kMalformedLogEvery = std::chrono::minutes(1);

    struct Pending {
        uint64_t messages = 0, bytes = 0, truncated = 0, malformed = 0, invalid_utf8 = 0;
    };

    void flush_counters() {
        host_.add(counters_.messages, pending_.messages);
        host_.add(counters_.bytes, pending_.bytes);
        host_.add(counters_.truncated, pending_.truncated);
        host_.add(counters_.malformed, pending_.malformed);
        host_.add(counters_.invalid_utf8, pending_.invalid_utf8);
        pending_ = Pending{};
    }

    // The first malformed message is logged with its reason and start; later ones at most once
    // a minute, as a count, so a sender of garbage cannot flood the agent's log.
    void note_malformed(const char *why, std::string_view frame) {
        ++malformed_unlogged_;
        const auto now = std::chrono::steady_clock::now();
        if (logged_malformed_ && now - last_malformed_log_ < kMalformedLogEvery) return;
        std::string sample;
        append_json_string(sample, frame.substr(0, 80));
        std::string line = "malformed syslog message (" + std::string(why) + "), delivered " +
                           (json_ ? "with parse_error" : "as received") + ": " + sample +
                           (frame.size() > 80 ? "..." : "");
        if (logged_malformed_)
            line += " (" + std::to_string(malformed_unlogged_) +
                    " malformed messages since the last such line; counted in "
                    "malformed_messages)";
        host_.warn(line);
        logged_malformed_ = true;
        last_malformed_log_ = now;
        malformed_unlogged_ = 0;
    }

    mafio::Host host_;
    bool json_;
    MessageCounters counters_;
    uint32_t max_records_;
    mafio_batch *batch_ = nullptr;
    LocalClock clock_;
    std::string json_buf_;
    Pending pending_;
    bool logged_malformed_ = false;
    std::chrono::steady_clock::time_point last_malformed_log_{};
    uint64_t malformed_unlogged_ = 0;
};

} // namespace syslog_v1
