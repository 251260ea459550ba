// grep:V1's rules, without the plugin around it (unit tests and fuzz targets use it directly).
//
// A rule is a regular expression (PCRE2, see pcre2_regex.hpp) on the whole record, or on one
// field of a JSON record: {"key": "request.status", "regex": "^5"} (a dotted path into nested
// objects). A field's text is a string's own characters (unescaped), or for any other value its
// compact JSON (500, true, null, {"a":1}). A record that is not a JSON object, or lacks the key,
// does not match a key rule.
//
// A record is kept when it matches every `regex` rule and not every `exclude` rule (each list
// is ANDed; an empty list is no condition).
#pragma once

#include "json_record.hpp"
#include "pcre2_regex.hpp"

#include <rapidjson/document.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace grep_v1 {

class GrepRules {
public:
    // Reads one option (`regex` or `exclude`): a string, a rule object, or an array of both.
    // Throws std::invalid_argument with a message that starts with the exact path of the bad
    // part (`where` is the option's path).
    void add_option(const rapidjson::Value &v, const std::string &where, bool exclude) {
        if (v.IsArray()) {
            if (v.Empty()) throw std::invalid_argument(where + ": expected at least one rule");
            for (rapidjson::SizeType i = 0; i < v.Size(); ++i)
                add_rule(v[i], where + "[" + std::to_string(i) + "]", exclude);
        } else {
            add_rule(v, where, exclude);
        }
    }
    void add(bool exclude, std::string key, std::string_view pattern) {
        (exclude ? exclude_ : keep_)
            .push_back({std::move(key), std::make_unique<mafio_plugins::Regex>(pattern)});
    }
    bool empty() const { return keep_.empty() && exclude_.empty(); }

    bool keep(std::string_view record) {
        parsed_ = Parsed::not_yet;
        if (!all_match(keep_, record)) return false;
        return exclude_.empty() || !all_match(exclude_, record);
    }

private:
    struct Rule {
        std::string key; // empty: the whole record
        std::unique_ptr<mafio_plugins::Regex> regex;
    };
    enum class Parsed { not_yet, object, not_object };

    void add_rule(const rapidjson::Value &v, const std::string &where, bool exclude) {
        std::string key, pattern, pattern_where = where;
        if (v.IsString()) {
            pattern.assign(v.GetString(), v.GetStringLength());
        } else if (v.IsObject()) {
            for (auto m = v.MemberBegin(); m != v.MemberEnd(); ++m) {
                const std::string name(m->name.GetString(), m->name.GetStringLength());
                if ((name != "key" && name != "regex") || !m->value.IsString())
                    throw std::invalid_argument(
                        where + "." + name +
                        (name == "key" || name == "regex"
                             ? ": expected a string"
                             : ": unknown rule member; a rule is {\"key\": \"a.b\", \"regex\": "
                               "\"...\"}"));
                (name == "key" ? key : pattern)
                    .assign(m->value.GetString(), m->value.GetStringLength());
            }
            if (!v.HasMember("key") || key.empty())
                throw std::invalid_argument(where + ".key: required, expected a non-empty "
                                                    "field name or dotted path");
            if (!v.HasMember("regex"))
                throw std::invalid_argument(where + ".regex: required, expected a string");
            pattern_where = where + ".regex";
        } else {
            throw std::invalid_argument(where + ": expected a regex string or a rule such as "
                                                "{\"key\": \"status\", \"regex\": \"^5\"}");
        }
        try {
            add(exclude, std::move(key), pattern);
        } catch (const std::invalid_argument &e) {
            throw std::invalid_argument(pattern_where + ": " + e.what());
        }
    }

    bool all_match(std::vector<Rule> &rules, std::string_view record) {
        for (Rule &r : rules)
            if (!matches(r, record)) return false;
        return true;
    }

    bool matches(Rule &r, std::string_view record) {
        if (r.key.empty()) return r.regex->match(record);
        if (parsed_ == Parsed::not_yet) // once per record, however many key rules
            parsed_ = json_->parse_object(record) ? Parsed::object : Parsed::not_object;
        if (parsed_ == Parsed::not_object) return false;
        const auto *v = json_->find(r.key);
        if (!v) return false;
        if (v->IsString()) return r.regex->match({v->GetString(), v->GetStringLength()});
        scratch_.clear();
        return mafio_plugins::JsonRecord::write(scratch_, *v) && r.regex->match(scratch_);
    }

    std::vector<Rule> keep_, exclude_;
    Parsed parsed_ = Parsed::not_yet;
    // Behind a pointer so that the rules can move (the DOM points into its own pool).
    std::unique_ptr<mafio_plugins::JsonRecord> json_ =
        std::make_unique<mafio_plugins::JsonRecord>();
    std::string scratch_;
};

} // namespace grep_v1
