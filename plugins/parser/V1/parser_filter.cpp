// parser:V1 — turns each record into one JSON object: a JSON record normalised, a line split by
// a regular expression with named groups, logfmt, or a preset (nginx, apache_combined,
// syslog_rfc5424, syslog_rfc3164); optionally one field of a JSON record parsed and merged in.
// Typed fields, the record time from a field, the raw line kept under a name. A record that
// does not parse passes unchanged (on_error "pass"), is dropped ("drop"), or goes on unchanged
// under another tag ({"tag": "..."}, mafio.retag.v1) to outputs of its own; all are counted.
#include "parser_core.hpp"
#include "record_rewriter.hpp"

#include <mafio/plugin.hpp>

namespace {

parser_v1::Config read_config(mafio::Options &opts) {
    parser_v1::Config c;
    c.format = opts.string("format", "json");
    c.regex = opts.string("regex", "");
    c.key = opts.string("key", "");
    c.time_key = opts.string("time_key", "");
    c.time_format = opts.string("time_format", "");
    c.keep_original = opts.string("keep_original", "");
    if (const auto *types = opts.json("types")) {
        if (!types->IsObject())
            throw mafio::Error(opts.path("types") +
                               ": expected an object such as {\"status\": \"int\", \"rt\": "
                               "\"float\"}");
        for (auto m = types->MemberBegin(); m != types->MemberEnd(); ++m) {
            const std::string field(m->name.GetString(), m->name.GetStringLength());
            if (!m->value.IsString())
                throw mafio::Error(opts.path("types") + "." + field +
                                   ": expected \"int\", \"float\", \"bool\" or \"string\"");
            c.types.emplace_back(field, m->value.GetString());
        }
    }
    return c;
}

// What happens to a record that does not parse.
struct OnError {
    enum class Action { pass, drop, retag } action = Action::pass;
    std::string tag; // with retag
};

OnError read_on_error(mafio::Options &opts, const mafio::Host &host) {
    const auto *v = opts.json("on_error");
    if (!v) return {};
    if (v->IsString()) {
        const std::string s = v->GetString();
        if (s == "pass") return {};
        if (s == "drop") return {OnError::Action::drop, {}};
    }
    if (v->IsObject() && v->MemberCount() == 1 && v->HasMember("tag") && (*v)["tag"].IsString() &&
        (*v)["tag"].GetStringLength() > 0) {
        if (!host.can_retag())
            throw mafio::Error(opts.path("on_error") +
                               ".tag: this agent cannot route single records to a tag "
                               "(mafio.retag.v1, mafio 0.4); use \"pass\" or \"drop\"");
        return {OnError::Action::retag, (*v)["tag"].GetString()};
    }
    throw mafio::Error(opts.path("on_error") +
                       ": expected \"pass\", \"drop\" or {\"tag\": \"a tag\"} (failed records "
                       "go on under that tag)");
}

parser_v1::Parser make_parser(mafio::Options &opts) {
    const parser_v1::Config config = read_config(opts);
    try {
        return parser_v1::Parser(config);
    } catch (const parser_v1::ConfigError &e) {
        throw mafio::Error(opts.path(e.option.c_str()) + ": " + e.what());
    }
}

class ParserFilter final : public mafio::Filter {
public:
    ParserFilter(mafio::Host host, mafio::Options &opts)
        : Filter(host), parser_(make_parser(opts)), on_error_(read_on_error(opts, host)),
          parse_errors_(host.counter("parse_errors", "records that did not parse")),
          dropped_(host.counter("dropped", "records dropped: did not parse, on_error drop")),
          retagged_(
              host.counter("retagged", "records that did not parse, sent on under on_error's tag")),
          time_errors_(host.counter("time_errors", "records whose time field did not read "
                                                   "with time_format (their time is kept)")),
          type_errors_(host.counter("type_errors", "typed fields that did not convert (kept as "
                                                   "strings)")) {}

    void process(mafio_batch *batch) override {
        uint64_t failed = 0;
        rewriter_.begin();
        std::string &out = rewriter_.buffer();
        for (uint32_t i = 0; i < batch->count; ++i) {
            const size_t from = out.size();
            int64_t ts = batch->records[i].ts_ns;
            if (parser_.parse(mafio::record_bytes(batch, i), out, ts) &&
                rewriter_.replace(batch, i, from, ts))
                continue;
            ++failed;
            switch (on_error_.action) {
            case OnError::Action::pass:
                rewriter_.keep(batch, i);
                break;
            case OnError::Action::drop:
                break;
            case OnError::Action::retag:
                host().retag(batch, i, on_error_.tag);
                break;
            }
        }
        rewriter_.finish(host(), batch);
        host().add(parse_errors_, failed);
        if (on_error_.action == OnError::Action::drop) host().add(dropped_, failed);
        if (on_error_.action == OnError::Action::retag) host().add(retagged_, failed);
        host().add(time_errors_, parser_.take_time_errors());
        host().add(type_errors_, parser_.take_type_errors());
    }

private:
    parser_v1::Parser parser_;
    OnError on_error_;
    mafio_plugins::RecordRewriter rewriter_;
    mafio_metric_id parse_errors_, dropped_, retagged_, time_errors_, type_errors_;
};

} // namespace

MAFIO_PLUGIN(
    ParserFilter, "parser", "V1", "1.0.0",
    "parses each record into one JSON object: json, regex (named groups), logfmt, or the "
    "presets nginx, apache_combined, syslog_rfc5424, syslog_rfc3164; typed fields and the "
    "record time from a field",
    "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{"
    "\"format\":{\"type\":\"string\",\"enum\":[\"json\",\"regex\",\"logfmt\",\"nginx\","
    "\"apache_combined\",\"syslog_rfc5424\",\"syslog_rfc3164\"],\"default\":\"json\","
    "\"description\":\"how records are read; presets type status/size/pri/pid as integers and "
    "set the record time\"},"
    "\"regex\":{\"type\":\"string\",\"description\":\"format regex: a PCRE2 pattern whose named "
    "groups (?<name>...) become fields\"},"
    "\"key\":{\"type\":\"string\",\"description\":\"parse this field (dotted path) of a JSON "
    "record instead of the whole record; the result is merged into the record\"},"
    "\"types\":{\"type\":\"object\",\"description\":\"field types, e.g. {\\\"status\\\": "
    "\\\"int\\\", \\\"rt\\\": \\\"float\\\", \\\"ok\\\": \\\"bool\\\"}\"},"
    "\"time_key\":{\"type\":\"string\",\"description\":\"the field that holds the record "
    "time\"},"
    "\"time_format\":{\"type\":\"string\",\"description\":\"strftime-style format of "
    "time_key, e.g. %Y-%m-%dT%H:%M:%S%f%z (%f: fraction, %z/%Z: zone)\"},"
    "\"keep_original\":{\"type\":\"string\",\"description\":\"also keep the raw record under "
    "this field name\"},"
    "\"on_error\":{\"type\":[\"string\",\"object\"],\"default\":\"pass\","
    "\"description\":\"a record that does not parse: pass (unchanged), drop, or {tag: T}: it "
    "goes on unchanged under tag T to the filters after this one and the outputs whose match "
    "takes T (all counted)\"}}}")
