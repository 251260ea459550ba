// The `format: json` of stdout:V1 and logr:V1: every record becomes one line of JSON (NDJSON).
//
//   - A record that is a JSON object (valid JSON, valid UTF-8, an object at the top) is written
//     as it is, on one line, with its event time added as "ts" when it has none of its own and
//     the time is known. Newlines between its tokens become spaces (inside strings JSON has none).
//   - Anything else (a plain log line, broken JSON, an array) is wrapped:
//         {"ts":"2026-11-30T10:20:30.123456789Z","tag":"app","log":"the line"}
//     escaped by json_string.hpp; "ts" is null when the input did not know the time.
//
// "ts" is RFC 3339 in UTC with nanoseconds, from the record's ts_ns. The encoder rewrites the
// records of one write() call into a batch of its own whose arena and record array it reuses
// from call to call, so a warm encoder allocates nothing; LineWriter then writes that batch.
#pragma once

#include "../valid/V1/utf8.hpp" // valid:V1's fast validator
#include "json_string.hpp"

#include <mafio/plugin.h>
#include <rapidjson/reader.h>

#include <cstdint>
#include <cstring>
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

namespace mafio_plugins {

class JsonLineEncoder {
public:
    // Encodes records [first, first + count) of `in`: record i of the result is record
    // first + i as a JSON line (its '\n' follows it in the arena). Valid until the next call.
    const mafio_batch &encode(const mafio_batch &in, uint32_t first, uint32_t count,
                              std::string_view tag) {
        arena_.clear();
        records_.clear();
        for (uint32_t i = first; i < first + count; ++i) {
            const mafio_record &r = in.records[i];
            const std::string_view bytes(reinterpret_cast<const char *>(in.arena + r.offset),
                                         r.len);
            const uint64_t start = arena_.size();
            encode_one(bytes, r.ts_ns, tag);
            records_.push_back(mafio_record{start, static_cast<uint32_t>(arena_.size() - start),
                                            r.flags, r.ts_ns});
            arena_.push_back('\n');
        }
        view_ = mafio_batch{};
        view_.struct_size = sizeof(mafio_batch);
        view_.count = count;
        view_.records = records_.data();
        view_.arena = reinterpret_cast<uint8_t *>(arena_.data());
        view_.arena_size = view_.arena_capacity = arena_.size();
        view_.records_capacity = count;
        return view_;
    }

private:
    // SAX handler that accepts any JSON and notes whether the top level is an object with a
    // "ts" key. Depth 1 means "directly inside the top-level object".
    struct Shape : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, Shape> {
        int depth = 0;
        bool object_at_top = false;
        bool has_ts = false;
        bool StartObject() {
            if (depth == 0) object_at_top = true;
            ++depth;
            return true;
        }
        bool EndObject(rapidjson::SizeType) {
            --depth;
            return true;
        }
        bool StartArray() {
            ++depth;
            return true;
        }
        bool EndArray(rapidjson::SizeType) {
            --depth;
            return true;
        }
        bool Key(const char *s, rapidjson::SizeType len, bool) {
            if (depth == 1 && len == 2 && s[0] == 't' && s[1] == 's') has_ts = true;
            return true;
        }
        bool Default() { return true; }
    };

    static bool json_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

    void encode_one(std::string_view bytes, int64_t ts_ns, std::string_view tag) {
        size_t b = 0, e = bytes.size();
        while (b < e && json_space(bytes[b]))
            ++b;
        while (e > b && json_space(bytes[e - 1]))
            --e;
        const std::string_view trimmed = bytes.substr(b, e - b);
        Shape shape;
        if (!trimmed.empty() && trimmed.front() == '{' && parses(trimmed, shape) &&
            shape.object_at_top) {
            write_object(trimmed, ts_ns, shape.has_ts);
            return;
        }
        arena_ += "{\"ts\":";
        append_ts(ts_ns);
        arena_ += ",\"tag\":";
        append_json_string(arena_, tag);
        arena_ += ",\"log\":";
        append_json_string(arena_, bytes);
        arena_ += '}';
    }

    bool parses(std::string_view json, Shape &shape) {
        // StringStream needs a terminator: copy into a reused buffer.
        scratch_.assign(json.data(), json.size());
        rapidjson::InsituStringStream stream(scratch_.data()); // in place: strings not copied
        // UTF-8 checked first by valid:V1's validator: RapidJSON's own check is per character.
        if (!valid_v1::is_valid_utf8(reinterpret_cast<const unsigned char *>(json.data()),
                                     json.size()))
            return false;
        constexpr unsigned flags = rapidjson::kParseInsituFlag | rapidjson::kParseStopWhenDoneFlag;
        if (reader_.Parse<flags>(stream, shape).IsError()) return false;
        return stream.Tell() == json.size(); // nothing after the object
    }

    void write_object(std::string_view object, int64_t ts_ns, bool has_ts) {
        const size_t start = arena_.size();
        if (has_ts || ts_ns == 0) {
            arena_.append(object);
        } else {
            arena_ += "{\"ts\":";
            append_ts(ts_ns);
            // The rest of the object after its '{': a ',' joins unless the object is empty.
            std::string_view rest = object.substr(1);
            size_t k = 0;
            while (k < rest.size() && json_space(rest[k]))
                ++k;
            if (k < rest.size() && rest[k] != '}') arena_ += ',';
            arena_.append(rest);
        }
        for (size_t k = start; k < arena_.size(); ++k) // one line, whatever its whitespace
            if (arena_[k] == '\n' || arena_[k] == '\r') arena_[k] = ' ';
    }

    // RFC 3339, UTC, nanoseconds; the date and time of day are formatted once per second.
    void append_ts(int64_t ts_ns) {
        if (ts_ns == 0) {
            arena_ += "null";
            return;
        }
        int64_t secs = ts_ns / 1'000'000'000;
        int64_t nanos = ts_ns % 1'000'000'000;
        if (nanos < 0) {
            nanos += 1'000'000'000;
            --secs;
        }
        if (secs != cached_second_ || cached_len_ == 0) {
            const time_t t = static_cast<time_t>(secs);
            tm utc{};
            gmtime_r(&t, &utc);
            cached_len_ = std::strftime(cached_, sizeof cached_, "%Y-%m-%dT%H:%M:%S", &utc);
            cached_second_ = secs;
        }
        char frac[12];
        frac[0] = '.';
        for (int d = 9; d >= 1; --d) {
            frac[d] = static_cast<char>('0' + nanos % 10);
            nanos /= 10;
        }
        frac[10] = 'Z';
        arena_ += '"';
        arena_.append(cached_, cached_len_);
        arena_.append(frac, 11);
        arena_ += '"';
    }

    std::string arena_;
    std::vector<mafio_record> records_;
    mafio_batch view_{};
    std::string scratch_;
    rapidjson::Reader reader_;
    int64_t cached_second_ = 0;
    char cached_[32] = {};
    size_t cached_len_ = 0;
};

} // namespace mafio_plugins
