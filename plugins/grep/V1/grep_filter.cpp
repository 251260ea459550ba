// grep:V1 — keeps the records that match every `regex` rule and not every `exclude` rule; a
// rule is a regular expression on the whole record or on one field of a JSON record
// (grep_rules.hpp). Drops are counted. The SDK's out-of-tree example is grep_example:V1.
#include "grep_rules.hpp"

#include <mafio/plugin.hpp>

namespace {

void read_rules(mafio::Options &opts, grep_v1::GrepRules &rules) {
    for (const bool exclude : {false, true}) {
        const char *key = exclude ? "exclude" : "regex";
        if (const auto *v = opts.json(key)) {
            try {
                rules.add_option(*v, opts.path(key), exclude);
            } catch (const std::invalid_argument &e) {
                throw mafio::Error(e.what());
            }
        }
    }
    if (rules.empty())
        throw mafio::Error(opts.path("regex") + ": required (or exclude): a regex string, a rule "
                                                "such as {\"key\": \"status\", \"regex\": "
                                                "\"^5\"}, or a list of them");
}

class GrepFilter final : public mafio::Filter {
public:
    GrepFilter(mafio::Host host, mafio::Options &opts)
        : Filter(host),
          dropped_(host.counter("dropped", "records dropped: not matching regex, or matching "
                                           "exclude")) {
        read_rules(opts, rules_);
    }

    void process(mafio_batch *batch) override {
        uint32_t kept = 0;
        for (uint32_t i = 0; i < batch->count; ++i) {
            if (!rules_.keep(mafio::record_bytes(batch, i))) continue;
            if (kept != i) batch->records[kept] = batch->records[i];
            ++kept;
        }
        host().add(dropped_, batch->count - kept);
        batch->count = kept;
    }

private:
    grep_v1::GrepRules rules_;
    mafio_metric_id dropped_;
};

} // namespace

MAFIO_PLUGIN(GrepFilter, "grep", "V1", "1.0.0",
             "keeps records matching every regex rule and drops those matching every exclude "
             "rule; a rule is a PCRE2 regular expression on the whole record or on one field "
             "(dotted path) of a JSON record",
             "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{"
             "\"regex\":{\"type\":[\"string\",\"object\",\"array\"],\"description\":\"keep "
             "rules, ANDed: \\\"^GET \\\", {\\\"key\\\": \\\"status\\\", \\\"regex\\\": "
             "\\\"^5\\\"}, or a list of them\"},"
             "\"exclude\":{\"type\":[\"string\",\"object\",\"array\"],\"description\":\"drop "
             "rules, ANDed: a record matching all of them is dropped\"}}}")
