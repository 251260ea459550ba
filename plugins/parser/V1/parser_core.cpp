#include "parser_core.hpp"

#include "presets.hpp"

#include <charconv>
#include <cmath>
#include <ctime>

namespace parser_v1 {

using mafio_plugins::append_json_string;
using mafio_plugins::JsonRecord;

namespace {

Type parse_type(const std::string &field, const std::string &name) {
    if (name == "int" || name == "integer") return Type::integer;
    if (name == "float" || name == "double") return Type::floating;
    if (name == "bool" || name == "boolean") return Type::boolean;
    if (name == "string") return Type::string;
    throw ConfigError("types." + field,
                      "expected \"int\", \"float\", \"bool\" or \"string\", got \"" + name + "\"");
}

std::string_view member_name(const JsonRecord::Value::ConstMemberIterator &m) {
    return {m->name.GetString(), m->name.GetStringLength()};
}

bool has_member(const JsonRecord::Value &obj, std::string_view name) {
    for (auto m = obj.MemberBegin(); m != obj.MemberEnd(); ++m)
        if (member_name(m) == name) return true;
    return false;
}

void write_key(std::string &out, bool &first, std::string_view name) {
    if (!first) out += ',';
    first = false;
    append_json_string(out, name);
    out += ':';
}

} // namespace

Parser::Parser(const Config &c)
    : key_(c.key), time_key_(c.time_key), keep_original_(c.keep_original) {
    std::string regex = c.regex;
    std::string time_format = c.time_format;
    const Preset *preset = find_preset(c.format);
    if (preset) {
        format_ = Format::regex;
        regex = preset->regex;
        year_less_ = preset->year_less;
        if (time_key_.empty()) time_key_ = preset->time_key;
        if (time_format.empty()) time_format = preset->time_format;
        std::string_view pairs = preset->types;
        while (!pairs.empty()) {
            const size_t space = pairs.find(' ');
            const std::string_view pair = pairs.substr(0, space);
            const size_t colon = pair.find(':');
            types_.emplace_back(std::string(pair.substr(0, colon)),
                                parse_type("", std::string(pair.substr(colon + 1))));
            pairs = space == std::string_view::npos ? "" : pairs.substr(space + 1);
        }
        if (!c.regex.empty())
            throw ConfigError("regex", "only used with format \"regex\", not the preset \"" +
                                           c.format + "\"");
    } else if (c.format == "regex") {
        format_ = Format::regex;
        if (regex.empty())
            throw ConfigError("regex", "required with format \"regex\": a PCRE2 pattern with "
                                       "named groups such as (?<status>\\d+)");
    } else if (c.format == "logfmt" || c.format == "json") {
        format_ = c.format == "json" ? Format::json : Format::logfmt;
        if (!regex.empty())
            throw ConfigError("regex", "only used with format \"regex\", not \"" + c.format + "\"");
    } else {
        throw ConfigError("format", "expected one of \"json\", \"regex\", \"logfmt\", \"nginx\", "
                                    "\"apache_combined\", \"syslog_rfc5424\", "
                                    "\"syslog_rfc3164\", got \"" +
                                        c.format + "\"");
    }
    // The user's types come after the preset's: type_of() searches from the end, so theirs win.
    for (const auto &[field, name] : c.types)
        types_.emplace_back(field, parse_type(field, name));

    if (format_ == Format::regex) {
        try {
            regex_ = std::make_unique<mafio_plugins::Regex>(regex);
        } catch (const std::invalid_argument &e) {
            throw ConfigError("regex", e.what());
        }
        if (regex_->named_groups().empty())
            throw ConfigError("regex", "has no named group such as (?<status>\\d+): nothing "
                                       "would become a field");
        for (const auto &g : regex_->named_groups()) {
            group_types_.push_back(type_of(g.name));
            std::string key;
            append_json_string(key, g.name);
            group_keys_.push_back(key + ':');
        }
    }

    if (!time_format.empty() && time_key_.empty())
        throw ConfigError("time_format", "needs time_key (the field that holds the time)");
    if (!time_key_.empty()) {
        if (time_format.empty())
            throw ConfigError("time_format", "required with time_key, e.g. "
                                             "\"%Y-%m-%dT%H:%M:%S%f%z\"");
        if (auto bad = mafio_plugins::TimeParser::unknown_directive(time_format))
            throw ConfigError("time_format", "unknown directive \"" + std::string(*bad) +
                                                 "\"; known: %Y %y %m %d %e %H %I %p %M %S %j "
                                                 "%b %h %B %a %A %f %s %z %Z %T %F %n %t %%");
        time_.emplace(time_format);
    }
}

Type Parser::type_of(std::string_view name) const {
    for (auto it = types_.rbegin(); it != types_.rend(); ++it)
        if (it->first == name) return it->second;
    return Type::none;
}

int Parser::default_year() const {
    int64_t now_ns = now_override_ns_;
    if (now_ns == 0) {
        timespec ts{};
        clock_gettime(CLOCK_REALTIME, &ts);
        now_ns = static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
    }
    const int64_t day = now_ns / 1000000000 / 86400;
    if (day != year_day_) { // once a day, not once a record
        const time_t s = static_cast<time_t>(now_ns / 1000000000);
        tm t{};
        gmtime_r(&s, &t);
        year_ = t.tm_year + 1900;
        year_day_ = day;
    }
    return year_;
}

bool Parser::read_time(std::string_view text, int64_t &ts_ns) {
    // Consecutive records mostly share their second (or more): the last text read is reused.
    if (last_time_ok_ && text == last_time_text_) {
        ts_ns = last_time_ns_;
        return true;
    }
    std::optional<int64_t> t;
    if (year_less_) {
        const int year = default_year();
        t = time_->parse(text, year);
        // December's lines read in January belong to last year: a time more than a day ahead
        // of now is taken from the year before.
        const int64_t now =
            now_override_ns_ ? now_override_ns_ : (year_day_ + 1) * 86400 * int64_t{1000000000};
        if (t && *t > now + 86400 * int64_t{1000000000}) t = time_->parse(text, year - 1);
    } else {
        t = time_->parse(text);
    }
    if (!t) {
        ++time_errors_;
        return false;
    }
    ts_ns = *t;
    last_time_text_.assign(text); // reuses its capacity
    last_time_ns_ = *t;
    last_time_ok_ = !year_less_; // a year-less time's year depends on today: not cached
    return true;
}

bool Parser::split_logfmt(std::string_view t) {
    // Unescaped values never outgrow the record: with this capacity the views into scratch_
    // stay valid while the record's fields are collected.
    scratch_.clear();
    scratch_.reserve(t.size());
    size_t i = 0;
    const size_t n = t.size();
    auto space = [](char c) { return c == ' ' || c == '\t'; };
    while (true) {
        while (i < n && space(t[i]))
            ++i;
        if (i == n) break;
        const size_t key_start = i;
        while (i < n && !space(t[i]) && t[i] != '=' && t[i] != '"')
            ++i;
        if (i == key_start) return false; // "=x" or a stray quote: no key
        const std::string_view key = t.substr(key_start, i - key_start);
        if (i == n || space(t[i])) { // a bare key is a flag
            fields_.push_back({key, "true", Type::boolean});
            continue;
        }
        if (t[i] == '"') return false; // key"...
        ++i;                           // '='
        if (i < n && t[i] == '"') {
            const size_t start = ++i;
            bool escaped = false;
            while (i < n && t[i] != '"') {
                if (t[i] == '\\') {
                    escaped = true;
                    ++i;
                }
                ++i;
            }
            if (i >= n) return false; // unterminated quote
            std::string_view value = t.substr(start, i - start);
            ++i;
            if (i < n && !space(t[i])) return false; // "a"b
            if (escaped) {
                const size_t from = scratch_.size();
                for (size_t k = 0; k < value.size(); ++k) {
                    char c = value[k];
                    if (c == '\\' && k + 1 < value.size()) {
                        c = value[++k];
                        if (c == 'n')
                            c = '\n';
                        else if (c == 't')
                            c = '\t';
                        else if (c == 'r')
                            c = '\r';
                    }
                    scratch_ += c;
                }
                value = std::string_view(scratch_).substr(from);
            }
            fields_.push_back({key, value, type_of(key)});
        } else {
            const size_t start = i;
            while (i < n && !space(t[i]))
                ++i;
            fields_.push_back({key, t.substr(start, i - start), type_of(key)});
        }
    }
    return !fields_.empty();
}

bool Parser::split_line(std::string_view text) {
    fields_.clear();
    if (format_ == Format::logfmt) return split_logfmt(text);
    if (!regex_->match(text)) return false;
    const auto &groups = regex_->named_groups();
    for (size_t g = 0; g < groups.size(); ++g)
        if (auto v = regex_->group(groups[g].index))
            fields_.push_back({groups[g].name, *v, group_types_[g], group_keys_[g]});
    return true;
}

void Parser::write_typed(std::string &out, std::string_view v, Type type) {
    // "-" (and nothing) is how access logs write an absent number: null, not a type error.
    const bool absent = v.empty() || v == "-";
    switch (type) {
    case Type::none:
    case Type::string:
        append_json_string(out, v);
        return;
    case Type::integer: {
        if (absent) {
            out += "null";
            return;
        }
        // Canonical digits (no sign, no leading zero, fits) are already the JSON number.
        if (v.size() <= 18 && (v.size() == 1 || v[0] != '0') &&
            v.find_first_not_of("0123456789") == std::string_view::npos) {
            out.append(v);
            return;
        }
        int64_t n = 0;
        const auto r = std::from_chars(v.data(), v.data() + v.size(), n);
        if (r.ec == std::errc() && r.ptr == v.data() + v.size()) {
            mafio_plugins::append_json_int(out, n);
            return;
        }
        break;
    }
    case Type::floating: {
        if (absent) {
            out += "null";
            return;
        }
        double d = 0;
        const auto r = std::from_chars(v.data(), v.data() + v.size(), d);
        if (r.ec == std::errc() && r.ptr == v.data() + v.size() && std::isfinite(d)) {
            mafio_plugins::append_json_double(out, d);
            return;
        }
        break;
    }
    case Type::boolean:
        if (v == "true" || v == "1") {
            out += "true";
            return;
        }
        if (v == "false" || v == "0") {
            out += "false";
            return;
        }
        break;
    }
    ++type_errors_; // kept as the string it was: nothing is lost
    append_json_string(out, v);
}

bool Parser::write_json_member(std::string &out, std::string_view name,
                               const JsonRecord::Value &v) {
    const Type t = type_of(name);
    if (t != Type::none && v.IsString()) {
        write_typed(out, {v.GetString(), v.GetStringLength()}, t);
        return true;
    }
    if (t == Type::string) {
        time_text_.clear();
        if (!JsonRecord::write(time_text_, v)) return false;
        append_json_string(out, time_text_);
        return true;
    }
    return JsonRecord::write(out, v);
}

bool Parser::parse(std::string_view record, std::string &out, int64_t &ts_ns) {
    const size_t start = out.size();
    std::string_view text = record;
    const JsonRecord::Value *outer = nullptr;
    if (!key_.empty()) {
        if (!record_.parse_object(record)) return false;
        const JsonRecord::Value *v = record_.find(key_);
        if (!v || !v->IsString()) return false;
        text = {v->GetString(), v->GetStringLength()};
        outer = &record_.root();
    }

    // The parsed fields: either fields_ (regex, logfmt) or the members of a JSON object.
    const JsonRecord::Value *object = nullptr;
    if (format_ == Format::json) {
        JsonRecord &j = outer ? inner_ : record_;
        if (!j.parse_object(text)) return false;
        object = &j.root();
    } else if (!split_line(text)) {
        return false;
    }

    if (time_) {
        if (object) {
            if (const JsonRecord::Value *v = JsonRecord::find_in(*object, time_key_))
                read_time(JsonRecord::text_of(*v, time_text_), ts_ns);
        } else {
            for (const Field &f : fields_)
                if (f.name == time_key_) {
                    read_time(f.value, ts_ns);
                    break;
                }
        }
    }

    // A parsed name wins over the record's own; keep_original wins over both.
    auto parsed_has = [&](std::string_view name) {
        if (object) return has_member(*object, name);
        for (const Field &f : fields_)
            if (f.name == name) return true;
        return false;
    };
    bool first = true;
    out += '{';
    if (outer) {
        for (auto m = outer->MemberBegin(); m != outer->MemberEnd(); ++m) {
            const std::string_view name = member_name(m);
            if (name == keep_original_ || parsed_has(name)) continue;
            write_key(out, first, name);
            if (!JsonRecord::write(out, m->value)) {
                out.resize(start);
                return false;
            }
        }
    }
    if (object) {
        for (auto m = object->MemberBegin(); m != object->MemberEnd(); ++m) {
            const std::string_view name = member_name(m);
            if (name == keep_original_) continue;
            write_key(out, first, name);
            if (!write_json_member(out, name, m->value)) {
                out.resize(start);
                return false;
            }
        }
    } else {
        for (const Field &f : fields_) {
            if (f.name == keep_original_) continue;
            if (f.key_json.empty()) {
                write_key(out, first, f.name);
            } else {
                if (!first) out += ',';
                first = false;
                out += f.key_json;
            }
            write_typed(out, f.value, f.type);
        }
    }
    if (!keep_original_.empty()) {
        write_key(out, first, keep_original_);
        append_json_string(out, record);
    }
    out += '}';
    return true;
}

} // namespace parser_v1
