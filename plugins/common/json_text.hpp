// Writing JSON text into a reused std::string: strings (escaped by json_string.hpp, so that any
// bytes give valid JSON), numbers, and a small object writer. Shared by the filters that emit
// JSON records.
#pragma once

#include "json_string.hpp"

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

namespace mafio_plugins {

inline void append_json_int(std::string &out, int64_t v) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, static_cast<size_t>(r.ptr - buf));
}

// Shortest text that reads back as the same double. Not finite values have no JSON form: null.
inline void append_json_double(std::string &out, double v) {
    if (v != v || v - v != 0) {
        out += "null";
        return;
    }
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, static_cast<size_t>(r.ptr - buf));
}

// Writes one flat JSON object member by member: open(), then key()+value pairs, then close().
class JsonObjectWriter {
public:
    explicit JsonObjectWriter(std::string &out) : out_(out) {}
    void open() {
        out_ += '{';
        first_ = true;
    }
    void key(std::string_view name) {
        if (!first_) out_ += ',';
        first_ = false;
        append_json_string(out_, name);
        out_ += ':';
    }
    void string(std::string_view v) { append_json_string(out_, v); }
    void integer(int64_t v) { append_json_int(out_, v); }
    void number(double v) { append_json_double(out_, v); }
    void boolean(bool v) { out_ += v ? "true" : "false"; }
    void null() { out_ += "null"; }
    void raw(std::string_view json) { out_.append(json); } // already valid JSON text
    void close() { out_ += '}'; }

private:
    std::string &out_;
    bool first_ = true;
};

} // namespace mafio_plugins
