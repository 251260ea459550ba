// multiline:V1 — joins the lines of one event (a stack trace, a panic) into one record, per
// input stream, so two files' traces never mix. A record is assembled until a line starts the
// next one, `max_lines` or `max_bytes` is reached, `flush_after` passes with nothing new, or
// the input ends. Lines are joined with "\n"; the record has the first line's time.
//
// The last record of a batch may go on in the next batch, so it is held past process()
// through mafio.hold.v1 (plugin-sdk/include/mafio/ext/hold.h): the host acknowledges the
// batches it came from only once it has been delivered, so a crash re-reads it instead of
// losing it, and a clean stop or a swap releases it first. On a host without that extension
// nothing is held: each batch's last record is emitted with the batch.
#include "line_rules.hpp"

#include <mafio/plugin.hpp>

#include <chrono>
#include <cstring>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace {

using multiline_v1::GroupState;
using multiline_v1::LineRules;
using multiline_v1::Preset;
using multiline_v1::Regex;

int64_t monotonic_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// The record being assembled in one stream.
struct Group {
    // While all its lines are in the batch being processed: where (no copy yet).
    bool in_batch = false;
    uint32_t first_index = 0; // record index of its first line in that batch
    // Otherwise (it was held, or is about to be): its bytes.
    std::string bytes;
    uint32_t lines = 0;
    uint64_t size = 0; // bytes of the lines plus separators
    int64_t ts_ns = 0;
    uint32_t flags = 0;
    bool held = false;      // some of it came from an earlier batch (held there)
    int64_t started_ns = 0; // monotonic time its first line was seen
    GroupState state;
    bool empty() const { return lines == 0; }
};

std::unique_ptr<Regex> regex_option(mafio::Options &opts, const char *key) {
    const std::string pattern = opts.string(key, "");
    if (pattern.empty()) return nullptr;
    try {
        return std::make_unique<Regex>(pattern, multiline_v1::kLineRegexOptions);
    } catch (const std::invalid_argument &e) {
        throw mafio::Error(opts.path(key) + ": \"" + pattern + "\": " + e.what());
    }
}

LineRules rules_option(mafio::Options &opts) {
    Preset preset = Preset::none;
    if (opts.has("preset")) {
        try {
            preset = multiline_v1::preset_named(opts.string("preset", ""));
        } catch (const std::invalid_argument &e) {
            throw mafio::Error(opts.path("preset") + ": " + e.what());
        }
    }
    auto start = regex_option(opts, "start");
    auto cont = regex_option(opts, "continue");
    if (preset != Preset::none && (start || cont))
        throw mafio::Error(opts.where() + ": preset and start/continue exclude each other; "
                                          "give one or the other");
    try {
        return LineRules(preset, std::move(start), std::move(cont));
    } catch (const std::invalid_argument &e) {
        throw mafio::Error(opts.where() + ": " + e.what());
    }
}

class MultilineFilter final : public mafio::Filter {
public:
    MultilineFilter(mafio::Host host, mafio::Options &opts)
        : Filter(host), rules_(rules_option(opts)),
          max_lines_(static_cast<uint32_t>(opts.integer("max_lines", 1000, 1, 1000000))),
          max_bytes_(opts.size("max_bytes", 1u << 20, 1, 1u << 30)),
          flush_after_ns_(static_cast<int64_t>(opts.seconds("flush_after", 1.0) * 1e9)),
          joined_(host.counter("records_joined", "records made of more than one line")),
          split_(host.counter("records_split",
                              "records emitted early at max_lines or max_bytes; the next line "
                              "starts another")),
          timed_out_(host.counter("records_flushed_idle",
                                  "records emitted because flush_after passed with no next line")) {
        if (!host.can_hold())
            host.warn("this host cannot hold records across batches (mafio.hold.v1): a record "
                      "is cut at each batch's end");
    }

    void process(mafio_batch *batch) override {
        const auto slot =
            groups_.try_emplace(StreamKey{host().input_of(batch), batch->stream}).first;
        Group &g = slot->second;
        out_.clear();
        released_ = false;
        const int64_t now = monotonic_ns();
        if (batch->count == 0) { // called without data: its time has come, or the input ends
            if (!g.empty() && (host().ending(batch) || now - g.started_ns >= flush_after_ns_)) {
                emit(batch, g);
                host().add(timed_out_, host().ending(batch) ? 0 : 1);
            } else if (!g.empty()) {
                host().process_at(batch, g.started_ns + flush_after_ns_);
            }
            finish(batch);
            forget_if_empty(slot);
            return;
        }
        for (uint32_t i = 0; i < batch->count; ++i) {
            const mafio_record r = batch->records[i];
            const std::string_view line = mafio::record_bytes(batch, i);
            const bool cont = rules_.continues(line, g.state) && !g.empty();
            if (cont && (g.lines >= max_lines_ || g.size + 1 + line.size() > max_bytes_)) {
                emit(batch, g); // too big: what there is goes, the line starts another
                ++split_in_batch_;
                g.state = GroupState{};
                rules_.continues(line, g.state);
            } else if (!cont && !g.empty()) {
                emit(batch, g);
            }
            add_line(batch, g, i, r, line, now);
        }
        const bool holding = !g.empty() && host().can_hold();
        if (holding)
            keep(batch, g); // it may go on in the next batch
        else if (!g.empty())
            emit(batch, g);
        finish(batch); // releases what earlier batches held; only then hold this one's
        if (holding) {
            host().hold(batch);
            host().process_at(batch, g.started_ns + flush_after_ns_);
        }
        forget_if_empty(slot);
    }

private:
    void add_line(const mafio_batch *batch, Group &g, uint32_t i, const mafio_record &r,
                  std::string_view line, int64_t now) {
        if (g.empty()) {
            g.in_batch = !g.held;
            g.first_index = i;
            g.ts_ns = r.ts_ns;
            g.flags = 0;
            g.started_ns = now;
            g.bytes.clear();
            g.size = 0;
        } else {
            if (g.in_batch && !adjacent(batch, i - 1, i)) copy_out(batch, g, i);
            g.size += 1; // the "\n" between lines
        }
        if (!g.in_batch) {
            if (g.lines > 0) g.bytes += '\n';
            g.bytes.append(line);
        }
        g.lines += 1;
        g.size += line.size();
        g.flags |= r.flags;
    }

    // Whether record j follows record i in the arena with exactly one '\n' between: then a run
    // of such lines is already its joined record, in place.
    static bool adjacent(const mafio_batch *b, uint32_t i, uint32_t j) {
        const mafio_record &a = b->records[i];
        const uint64_t end = a.offset + a.len;
        return b->records[j].offset == end + 1 && b->arena[end] == '\n';
    }

    // The group's lines so far (records first_index .. before `upto`) into its own bytes.
    static void copy_out(const mafio_batch *batch, Group &g, uint32_t upto) {
        const mafio_record &first = batch->records[g.first_index];
        const mafio_record &last = batch->records[upto - 1];
        g.bytes.assign(reinterpret_cast<const char *>(batch->arena + first.offset),
                       last.offset + last.len - first.offset);
        g.in_batch = false;
    }

    // The group is held past this batch: its bytes must be its own.
    void keep(const mafio_batch *batch, Group &g) {
        if (g.in_batch) copy_out(batch, g, batch->count);
        g.held = true;
    }

    // The assembled record goes out in this batch (collected in out_, written by finish).
    void emit(mafio_batch *batch, Group &g) {
        if (g.lines > 1) ++joined_in_batch_;
        if (g.held) released_ = true;
        if (g.in_batch) {
            const mafio_record &first = batch->records[g.first_index];
            out_.push_back(
                Out{true, first.offset, static_cast<uint32_t>(g.size), g.flags, g.ts_ns});
        } else {
            out_.push_back(Out{false, pending_.size(), static_cast<uint32_t>(g.bytes.size()),
                               g.flags, g.ts_ns});
            pending_.append(g.bytes);
        }
        const GroupState state = g.state;
        g = Group{};
        g.state = state;
    }

    // Rewrites the batch's records as out_ (in order), appending the bytes that are not in the
    // arena yet, and tells the host what was released.
    void finish(mafio_batch *batch) {
        if (!pending_.empty()) {
            const uint64_t base = batch->arena_size;
            host().reserve(batch, pending_.size(), 0);
            std::memcpy(batch->arena + base, pending_.data(), pending_.size());
            batch->arena_size += pending_.size();
            for (auto &o : out_)
                if (!o.in_arena) o.offset += base;
            pending_.clear();
        }
        if (out_.size() > batch->records_capacity)
            host().reserve(batch, 0, static_cast<uint32_t>(out_.size() - batch->count));
        for (size_t k = 0; k < out_.size(); ++k)
            batch->records[k] =
                mafio_record{out_[k].offset, out_[k].len, out_[k].flags, out_[k].ts_ns};
        batch->count = static_cast<uint32_t>(out_.size());
        if (released_) host().release(batch);
        host().add(joined_, joined_in_batch_);
        host().add(split_, split_in_batch_);
        joined_in_batch_ = split_in_batch_ = 0;
    }

    struct Out {
        bool in_arena; // offset is in the arena already; else in pending_
        uint64_t offset;
        uint32_t len;
        uint32_t flags;
        int64_t ts_ns;
    };

    LineRules rules_;
    uint32_t max_lines_;
    uint64_t max_bytes_;
    int64_t flush_after_ns_;
    using StreamKey = std::pair<uint32_t, uint32_t>; // input, stream
    // Only streams with a record being assembled: a file that rotated away leaves no entry.
    std::map<StreamKey, Group> groups_;

    // A stream with no record being assembled and no rule state left (a Python chain after a
    // flush keeps some) is what a new entry would be: it can go.
    void forget_if_empty(std::map<StreamKey, Group>::iterator slot) {
        if (slot->second.empty() && slot->second.state == GroupState{}) groups_.erase(slot);
    }
    std::vector<Out> out_;
    std::string pending_; // bytes of emitted records that are not in the arena
    bool released_ = false;
    uint64_t joined_in_batch_ = 0, split_in_batch_ = 0;
    mafio_metric_id joined_, split_, timed_out_;
};

} // namespace

MAFIO_PLUGIN(
    MultilineFilter, "multiline", "V1", "1.0.0",
    "joins the lines of one event (Java, Python and Go stack traces, or start/continue regexes) "
    "into one record per input stream",
    "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{"
    "\"preset\":{\"type\":\"string\",\"enum\":[\"java\",\"python\",\"go\"],"
    "\"description\":\"built-in rules for stack traces; or give start and/or continue\"},"
    "\"start\":{\"type\":\"string\",\"description\":\"PCRE2 regex: a matching line starts a "
    "record\"},"
    "\"continue\":{\"type\":\"string\",\"description\":\"PCRE2 regex: a matching line continues "
    "the record (with start alone, every line not matching start continues)\"},"
    "\"max_lines\":{\"type\":\"integer\",\"minimum\":1,\"default\":1000,"
    "\"description\":\"a record reaching this many lines is emitted; the next line starts "
    "another\"},"
    "\"max_bytes\":{\"type\":[\"integer\",\"string\"],\"default\":\"1MiB\","
    "\"description\":\"likewise for its size\"},"
    "\"flush_after\":{\"type\":[\"number\",\"string\"],\"default\":\"1s\","
    "\"description\":\"a record with no next line for this long is emitted\"}}}")
