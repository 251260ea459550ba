// modify:V1 — edits the fields of JSON records: rename, copy, remove, set and add, with dotted
// paths for nested keys and placeholders in string values (templates.hpp); `wrap` first turns a
// line that is not a JSON object into {"log": line}. The operations run in that fixed order:
// wrap, rename, copy, remove, set, add. A record that is not a JSON object (and is not wrapped)
// passes unchanged and is counted.
//
// Per record: one parse and one write, into a memory pool and a buffer reused from record to
// record (no allocation once warm unless a record outgrows them); the rewritten record is
// appended to the batch's arena. Per batch: the ${tag} values are expanded once.
#include "../../valid/V1/utf8.hpp" // valid:V1's fast validator
#include "field_path.hpp"
#include "json_string.hpp"
#include "templates.hpp"

#include <mafio/plugin.hpp>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

using modify_v1::FieldPath;
using modify_v1::Template;
using modify_v1::TemplateContext;
using modify_v1::Value;

// UTF-8 is checked before parsing, by valid:V1's validator (ASCII 32 bytes at a step): RapidJSON's
// own check, one character at a time, was a fifth of this filter's cost.
constexpr unsigned kParseFlags = rapidjson::kParseNoFlags;

// A document whose parse stack also lives in a pool: RapidJSON's Document frees its stack after
// every Parse (ClearStack -> ShrinkToFit), which with the default allocator is a malloc and a
// free per record; a pool's free does nothing and the pool is reset per record.
using RecordDocument =
    rapidjson::GenericDocument<rapidjson::UTF8<>, rapidjson::MemoryPoolAllocator<>,
                               rapidjson::MemoryPoolAllocator<>>;

struct Move {
    FieldPath from, to;
};

// One value of set or add: a constant JSON value, or a string template using ${tag}.
struct Assignment {
    FieldPath path;
    rapidjson::Document constant; // the value, placeholders other than ${tag} filled in
    std::unique_ptr<Template> per_tag;
    rapidjson::Document for_batch; // per_tag expanded for the current batch
};

std::string host_name() {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0) return "localhost";
    return name;
}

std::string env_or_empty(const char *name) {
    const char *v = std::getenv(name);
    return v ? v : "";
}

class ModifyFilter final : public mafio::Filter {
public:
    ModifyFilter(mafio::Host host, mafio::Options &opts)
        : Filter(host), pool_(pool_buffer_, sizeof pool_buffer_),
          stack_pool_(stack_buffer_, sizeof stack_buffer_), doc_(&pool_, 4096, &stack_pool_),
          not_json_(host.counter("not_json", "records passed unchanged: not a JSON object and "
                                             "wrap is off")),
          conflicts_(host.counter("path_conflicts",
                                  "operations skipped: a step of the path is not an object")) {
        // The host exports the agent's id and group to plugins (host/src/main.cpp).
        const TemplateContext context{host_name(), env_or_empty("MAFIO_AGENT_ID"),
                                      env_or_empty("MAFIO_AGENT_GROUP"), host.component_id()};
        read_wrap(opts);
        read_moves(opts, "rename", renames_);
        read_moves(opts, "copy", copies_);
        for (const auto &key : opts.strings("remove"))
            removes_.push_back(path(opts, "remove", key));
        read_assignments(opts, "set", context, sets_);
        read_assignments(opts, "add", context, adds_);
    }

    void process(mafio_batch *batch) override {
        prepare_batch(host().batch_tag(batch));
        uint64_t not_json = 0;
        conflicts_in_batch_ = 0;
        for (uint32_t i = 0; i < batch->count; ++i) {
            if (!load(mafio::record_bytes(batch, i))) {
                ++not_json;
                continue;
            }
            apply();
            writer_out_.Clear();
            writer_.Reset(writer_out_);
            doc_.Accept(writer_);
            replace(batch, i, writer_out_.GetString(), writer_out_.GetSize());
        }
        host().add(not_json_, not_json);
        host().add(conflicts_, conflicts_in_batch_);
    }

private:
    static FieldPath path(mafio::Options &opts, const char *option, const std::string &key) {
        try {
            return FieldPath(key);
        } catch (const std::invalid_argument &e) {
            throw mafio::Error(opts.path(option) + ": " + e.what());
        }
    }

    void read_wrap(mafio::Options &opts) {
        if (!opts.has("wrap")) return;
        // wrap: true (key "log"), false, or the key to wrap under.
        try {
            wrap_key_ = opts.boolean("wrap", false) ? "log" : "";
            return;
        } catch (const mafio::Error &) {
        } // not a boolean: then a key name
        try {
            wrap_key_ = opts.string("wrap", "");
        } catch (const mafio::Error &) {
            wrap_key_.clear();
        }
        if (wrap_key_.empty())
            throw mafio::Error(opts.path("wrap") +
                               ": expected true, false or the key to wrap under, such as "
                               "\"message\"");
    }

    void read_moves(mafio::Options &opts, const char *option, std::vector<Move> &out) {
        const rapidjson::Value *map = opts.object(option);
        if (!map) return;
        for (auto it = map->MemberBegin(); it != map->MemberEnd(); ++it) {
            const std::string from = it->name.GetString();
            if (!it->value.IsString())
                throw mafio::Error(opts.path(option) + "." + from +
                                   ": expected the new key as a string, such as \"new.key\"");
            out.push_back(
                Move{path(opts, option, from), path(opts, option, it->value.GetString())});
        }
    }

    void read_assignments(mafio::Options &opts, const char *option, const TemplateContext &context,
                          std::vector<Assignment> &out) {
        const rapidjson::Value *map = opts.object(option);
        if (!map) return;
        for (auto it = map->MemberBegin(); it != map->MemberEnd(); ++it) {
            const std::string key = it->name.GetString();
            Assignment a{path(opts, option, key), {}, nullptr, {}};
            if (it->value.IsString()) {
                try {
                    auto t = std::make_unique<Template>(it->value.GetString(), context);
                    if (t->uses_tag())
                        a.per_tag = std::move(t);
                    else
                        a.constant.SetString(t->expand("").c_str(), a.constant.GetAllocator());
                } catch (const std::invalid_argument &e) {
                    throw mafio::Error(opts.path(option) + "." + key + ": " + e.what());
                }
            } else {
                a.constant.CopyFrom(it->value, a.constant.GetAllocator());
            }
            out.push_back(std::move(a));
        }
    }

    // The ${tag} values for this batch: expanded again only when the tag changes.
    void prepare_batch(std::string_view tag) {
        if (tag == prepared_tag_ && prepared_) return;
        prepared_ = true;
        prepared_tag_.assign(tag);
        for (auto *list : {&sets_, &adds_})
            for (auto &a : *list)
                if (a.per_tag)
                    a.for_batch.SetString(a.per_tag->expand(tag).c_str(),
                                          a.for_batch.GetAllocator());
    }

    // Parses the record into doc_ (wrapping it first when asked). False: not a JSON object.
    bool load(std::string_view bytes) {
        const bool utf8 = valid_v1::is_valid_utf8(
            reinterpret_cast<const unsigned char *>(bytes.data()), bytes.size());
        // Parsed in place in a copy (no per-character copying into the parse stack); a NUL would
        // end the copy's text early, so a record holding one is not taken as JSON.
        if (utf8 && std::memchr(bytes.data(), 0, bytes.size()) == nullptr) {
            record_.assign(bytes.data(), bytes.size());
            pool_.Clear();
            stack_pool_.Clear();
            doc_.ParseInsitu<kParseFlags>(record_.data());
            if (!doc_.HasParseError() && doc_.IsObject()) return true;
        }
        if (wrap_key_.empty()) return false;
        scratch_.clear();
        scratch_ += '{';
        mafio_plugins::append_json_string(scratch_, wrap_key_);
        scratch_ += ':';
        mafio_plugins::append_json_string(scratch_, bytes);
        scratch_ += '}';
        pool_.Clear();
        stack_pool_.Clear();
        doc_.ParseInsitu<kParseFlags>(scratch_.data());
        return !doc_.HasParseError(); // always: append_json_string writes valid JSON
    }

    void apply() {
        auto &alloc = doc_.GetAllocator();
        Value moved;
        for (const auto &m : renames_)
            if (m.from.take(doc_, moved) && !m.to.put(doc_, moved, alloc, false))
                ++conflicts_in_batch_;
        for (const auto &m : copies_)
            if (Value *v = m.from.find(doc_)) {
                Value copy(*v, alloc);
                if (!m.to.put(doc_, copy, alloc, false)) ++conflicts_in_batch_;
            }
        for (const auto &p : removes_)
            p.take(doc_, moved);
        for (const auto *list : {&sets_, &adds_}) {
            const bool only_if_absent = list == &adds_;
            for (const auto &a : *list) {
                Value copy(a.per_tag ? static_cast<const Value &>(a.for_batch)
                                     : static_cast<const Value &>(a.constant),
                           alloc);
                if (!a.path.put(doc_, copy, alloc, only_if_absent)) ++conflicts_in_batch_;
            }
        }
    }

    // Points record i at `len` new bytes appended to the arena (followed by the '\n' outputs
    // write anyway, so that consecutive rewritten records still go out in one iovec).
    void replace(mafio_batch *batch, uint32_t i, const char *bytes, size_t len) {
        host().reserve(batch, len + 1, 0);
        std::memcpy(batch->arena + batch->arena_size, bytes, len);
        batch->arena[batch->arena_size + len] = '\n';
        batch->records[i].offset = batch->arena_size;
        batch->records[i].len = static_cast<uint32_t>(len);
        batch->arena_size += len + 1;
    }

    std::string wrap_key_;
    std::vector<Move> renames_, copies_;
    std::vector<FieldPath> removes_;
    std::vector<Assignment> sets_, adds_;

    char pool_buffer_[64 * 1024];
    char stack_buffer_[16 * 1024];
    rapidjson::MemoryPoolAllocator<> pool_, stack_pool_;
    RecordDocument doc_;
    rapidjson::StringBuffer writer_out_;
    rapidjson::Writer<rapidjson::StringBuffer> writer_{writer_out_};
    std::string record_;  // the record being edited; doc_'s strings point into it
    std::string scratch_; // a wrapped record, likewise
    std::string prepared_tag_;
    bool prepared_ = false;
    uint64_t conflicts_in_batch_ = 0;
    mafio_metric_id not_json_, conflicts_;
};

} // namespace

MAFIO_PLUGIN(
    ModifyFilter, "modify", "V1", "1.0.0",
    "edits fields of JSON records: wrap a raw line as {\"log\": line}, rename, copy, remove, "
    "set and add (dotted paths; ${hostname} ${agent.id} ${agent.group} ${component} "
    "${env:NAME} ${tag} in string values)",
    "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{"
    "\"wrap\":{\"type\":[\"boolean\",\"string\"],\"default\":false,"
    "\"description\":\"a record that is not a JSON object becomes {\\\"log\\\": line} (true) "
    "or {\\\"<this key>\\\": line} first; without it such records pass unchanged\"},"
    "\"rename\":{\"type\":\"object\",\"description\":\"old.path -> new.path\"},"
    "\"copy\":{\"type\":\"object\",\"description\":\"from.path -> to.path (overwrites)\"},"
    "\"remove\":{\"type\":[\"string\",\"array\"],\"description\":\"paths to remove\"},"
    "\"set\":{\"type\":\"object\",\"description\":\"path -> value, overwriting\"},"
    "\"add\":{\"type\":\"object\",\"description\":\"path -> value, only where there is none\"}"
    "}}")
