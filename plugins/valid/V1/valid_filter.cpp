// valid:V1 — drops records that are empty or whitespace only, not valid UTF-8, or (with
// json: true) not exactly one JSON value. Counts each drop by reason.
#include "json_check.hpp"
#include "utf8.hpp"

#include <mafio/plugin.hpp>

#include <string_view>

namespace {

enum class Verdict { keep, empty, bad_utf8, bad_json };

// True when the records lie in arena order, each followed by one ASCII byte (the '\n' a line
// input leaves) and then the next: the layout every line input produces.
bool back_to_back(const mafio_batch *batch) {
    for (uint32_t i = 1; i < batch->count; ++i) {
        const mafio_record &prev = batch->records[i - 1];
        const uint64_t after = prev.offset + prev.len;
        if (batch->records[i].offset != after + 1 || batch->arena[after] >= 0x80) return false;
    }
    return true;
}

// Whether every record of the batch is valid UTF-8, decided in one pass over all their bytes
// when they are back to back: UTF-8 validity is local and an ASCII byte can neither end nor
// continue a multi-byte sequence, so the whole run is valid exactly when each record is.
// One long scan instead of a short one per record is most of this filter's speed.
bool all_valid_utf8(const mafio_batch *batch) {
    if (batch->count == 0 || !back_to_back(batch)) return false;
    const mafio_record &first = batch->records[0];
    const mafio_record &last = batch->records[batch->count - 1];
    return valid_v1::is_valid_utf8(batch->arena + first.offset,
                                   last.offset + last.len - first.offset);
}

bool is_blank(std::string_view text) {
    // The common case returns at the first byte. '\r' counts, so a CRLF empty line is blank.
    for (char c : text)
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '\v' && c != '\f') return false;
    return true;
}

class ValidFilter final : public mafio::Filter {
public:
    ValidFilter(mafio::Host host, mafio::Options &opts)
        : Filter(host), json_(opts.boolean("json", false)),
          dropped_empty_(
              host.counter("dropped_empty", "records dropped: empty or whitespace only")),
          dropped_utf8_(host.counter("dropped_utf8", "records dropped: not valid UTF-8")),
          dropped_json_(
              host.counter("dropped_json", "records dropped: not exactly one JSON value")) {}

    void process(mafio_batch *batch) override {
        uint64_t empty = 0, bad_utf8 = 0, bad_json = 0;
        uint32_t kept = 0;
        // When false, some record is not valid UTF-8: each is checked on its own to find which.
        const bool utf8_known_valid = all_valid_utf8(batch);
        // Compacting in place keeps the order of the records that stay.
        for (uint32_t i = 0; i < batch->count; ++i) {
            switch (judge(mafio::record_bytes(batch, i), utf8_known_valid)) {
            case Verdict::keep:
                if (kept != i) batch->records[kept] = batch->records[i];
                ++kept;
                break;
            case Verdict::empty:
                ++empty;
                break;
            case Verdict::bad_utf8:
                ++bad_utf8;
                break;
            case Verdict::bad_json:
                ++bad_json;
                break;
            }
        }
        batch->count = kept;
        host().add(dropped_empty_, empty);
        host().add(dropped_utf8_, bad_utf8);
        host().add(dropped_json_, bad_json);
    }

private:
    Verdict judge(std::string_view text, bool utf8_known_valid) {
        if (is_blank(text)) return Verdict::empty;
        if (!utf8_known_valid &&
            !valid_v1::is_valid_utf8(reinterpret_cast<const unsigned char *>(text.data()),
                                     text.size()))
            return Verdict::bad_utf8;
        if (json_ && !json_checker_.is_single_value(text)) return Verdict::bad_json;
        return Verdict::keep;
    }

    bool json_;
    mafio_metric_id dropped_empty_, dropped_utf8_, dropped_json_;
    valid_v1::JsonChecker json_checker_;
};

} // namespace

MAFIO_PLUGIN(ValidFilter, "valid", "V1", "1.0.0",
             "drops empty, whitespace-only and invalid UTF-8 records (and, with json: true, "
             "records that are not one JSON value)",
             "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{"
             "\"json\":{\"type\":\"boolean\",\"default\":false,"
             "\"description\":\"also drop records that are not exactly one JSON value\"}}}")
