// grep_example:V1 — keeps the records that match a POSIX extended regular expression, or with
// `invert: true` drops them (like grep -v). Options:
//   pattern      required; an ERE such as "status=(4|5)[0-9]{2}"
//   invert       false; true drops the matching records instead of keeping them
//   ignore_case  false; true matches case-insensitively
//
// Why POSIX regcomp/regexec rather than std::regex: libstdc++'s std::regex matches by
// recursion and can exhaust the stack on a long record (mafio's records reach 1 MiB), and it is
// several times slower. The C library's matcher is a DFA/NFA without that problem, ships with
// every libc (glibc, musl), and REG_NOSUB lets it skip computing submatches we do not use.
#include <mafio/plugin.hpp>

#include <regex.h>

#include <string>

namespace {

class GrepFilter : public mafio::Filter {
public:
    GrepFilter(mafio::Host host, mafio::Options &opts) : Filter(host) {
        kept_ = host.counter("kept", "records that passed the filter");
        dropped_ = host.counter("dropped", "records removed by the filter");
        const std::string pattern = opts.required_string("pattern");
        invert_ = opts.boolean("invert", false);
        int flags = REG_EXTENDED | REG_NOSUB;
        if (opts.boolean("ignore_case", false)) flags |= REG_ICASE;
        if (int rc = regcomp(&re_, pattern.c_str(), flags); rc != 0) {
            char why[256];
            regerror(rc, &re_, why, sizeof why);
            // regcomp leaves nothing to free when it fails.
            throw mafio::Error(opts.where() + ".pattern: invalid regular expression \"" + pattern +
                               "\": " + why + "; expected a POSIX extended regular expression");
        }
        compiled_ = true; // last: nothing after this may throw, or regfree would be skipped
    }

    ~GrepFilter() override {
        if (compiled_) regfree(&re_);
    }

    // Compacts the kept records to the front, keeping their order; the arena is untouched.
    void process(mafio_batch *b) override {
        uint32_t out = 0;
        for (uint32_t i = 0; i < b->count; ++i) {
            if (matches(b, i) != invert_) b->records[out++] = b->records[i];
        }
        host().add(kept_, out);
        host().add(dropped_, b->count - out);
        b->count = out;
    }

private:
    bool matches(const mafio_batch *b, uint32_t i) {
        const mafio_record &r = b->records[i];
        const char *bytes = reinterpret_cast<const char *>(b->arena + r.offset);
#ifdef REG_STARTEND
        // glibc and the BSDs match a byte range in place: no copy, and NUL bytes do not end it.
        regmatch_t range[1];
        range[0].rm_so = 0;
        range[0].rm_eo = static_cast<regoff_t>(r.len);
        return regexec(&re_, bytes, 1, range, REG_STARTEND) == 0;
#else
        // musl has no REG_STARTEND: regexec needs a NUL-terminated copy.
        line_.assign(bytes, r.len);
        return regexec(&re_, line_.c_str(), 0, nullptr, 0) == 0;
#endif
    }

    regex_t re_{};
    bool compiled_ = false;
    bool invert_ = false;
    mafio_metric_id kept_ = 0;
    mafio_metric_id dropped_ = 0;
#ifndef REG_STARTEND
    std::string line_;
#endif
};

// Shown by `mafio -describe grep_example:V1`.
constexpr const char *kSchema = R"json({
  "type": "object",
  "required": ["pattern"],
  "properties": {
    "pattern": {"type": "string", "description": "POSIX extended regular expression (required)"},
    "invert": {"type": "boolean", "default": false,
               "description": "drop matching records instead of keeping them"},
    "ignore_case": {"type": "boolean", "default": false,
                    "description": "match without regard to case"}
  },
  "additionalProperties": false
})json";

} // namespace

MAFIO_PLUGIN(GrepFilter, "grep_example", "V1", "1.0.0",
             "Keeps (or with invert drops) records matching a regular expression", kSchema)
