// parser:V1's engine, without the plugin around it (unit tests and fuzz targets drive it
// directly): turns one record into one compact JSON object.
//
// Per record nothing is allocated once the reused buffers (the output, the field list, the
// scratch for unescaped logfmt values, the JSON DOM pools) have grown to the records' size.
#pragma once

#include "json_record.hpp"
#include "pcre2_regex.hpp"
#include "time_parse.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace parser_v1 {

enum class Type { none, string, integer, floating, boolean };

// A bad option: which one (its key under the instance) and why.
struct ConfigError : std::runtime_error {
    ConfigError(std::string option_key, const std::string &why)
        : std::runtime_error(why), option(std::move(option_key)) {}
    std::string option;
};

struct Config {
    std::string format = "json";
    std::string regex; // format "regex"
    std::string key;   // parse this field of a JSON record instead of the whole record
    std::vector<std::pair<std::string, std::string>> types; // field -> int|float|bool|string
    std::string time_key, time_format;
    std::string keep_original;
};

class Parser {
public:
    explicit Parser(const Config &config); // throws ConfigError

    // Appends the JSON object for `record` to `out` and returns true; `ts_ns` is set when the
    // record's time was found and read. False when the record does not parse (out unchanged).
    bool parse(std::string_view record, std::string &out, int64_t &ts_ns);

    // Counted since the last take: time fields present but unreadable, typed fields that did
    // not convert (their value is then kept as a string).
    uint64_t take_time_errors() { return std::exchange(time_errors_, 0); }
    uint64_t take_type_errors() { return std::exchange(type_errors_, 0); }

    // The year assumed for times without one (RFC 3164); the current UTC year by default.
    void set_now_for_tests(int64_t now_ns) { now_override_ns_ = now_ns; }

private:
    struct Field {
        std::string_view name;
        std::string_view value;
        Type type;
        std::string_view key_json = {}; // "name": already escaped (regex groups), or empty
    };
    enum class Format { json, regex, logfmt };

    bool split_line(std::string_view text); // regex or logfmt -> fields_
    bool split_logfmt(std::string_view text);
    bool read_time(std::string_view text, int64_t &ts_ns);
    Type type_of(std::string_view name) const;
    void write_typed(std::string &out, std::string_view value, Type type);
    bool write_json_member(std::string &out, std::string_view name,
                           const mafio_plugins::JsonRecord::Value &v);
    int default_year() const;

    Format format_ = Format::json;
    std::unique_ptr<mafio_plugins::Regex> regex_;
    std::vector<Type> group_types_;       // per named group, in order
    std::vector<std::string> group_keys_; // per named group: "name": as JSON, escaped once
    std::vector<std::pair<std::string, Type>> types_;
    std::string key_, time_key_, keep_original_;
    std::optional<mafio_plugins::TimeParser> time_;
    bool year_less_ = false;
    int64_t now_override_ns_ = 0;

    std::vector<Field> fields_;
    std::string scratch_;           // unescaped logfmt values
    std::string time_text_;         // a JSON time value that is not a string
    mutable int64_t year_day_ = -1; // the day default_year() last computed
    mutable int year_ = 1970;
    std::string last_time_text_; // the last time text read, and what it gave
    int64_t last_time_ns_ = 0;
    bool last_time_ok_ = false;
    mafio_plugins::JsonRecord record_; // the record, in key mode or format json
    mafio_plugins::JsonRecord inner_;  // the key's text, in key mode with format json
    uint64_t time_errors_ = 0, type_errors_ = 0;
};

} // namespace parser_v1
