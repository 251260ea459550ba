// /debug?cmd=heap|gc|go, the original agent's debug commands given C++ meanings:
//   heap  process memory, the allocator's figures (glibc mallinfo2) and the bytes held in
//         channels per stage;
//   gc    C++ has no collector: GET reports what the allocator holds and could give back,
//         POST gives it back (malloc_trim) and reports the RSS before and after;
//   go    the counterpart of a goroutine dump: every thread (thread_roles.hpp).
// The command may come in the query string or, for POST, in a form body (curl -d cmd=gc).
#include "http/endpoints.hpp"
#include "http/json_out.hpp"
#include "http/thread_roles.hpp"
#include "metrics/process_stats.hpp"

#include <malloc.h>

namespace mafio {

namespace {

// glibc's figures; musl (the Alpine image) has neither mallinfo2 nor malloc_trim.
void allocator(JsonOut &j) {
    j.key("allocator");
    j.w().StartObject();
#ifdef __GLIBC__
    struct mallinfo2 mi = mallinfo2();
    j.field("name", "glibc malloc");
    j.field("arena_bytes", static_cast<uint64_t>(mi.arena));
    j.field("mmap_bytes", static_cast<uint64_t>(mi.hblkhd));
    j.field("in_use_bytes", static_cast<uint64_t>(mi.uordblks + mi.hblkhd));
    j.field("free_bytes", static_cast<uint64_t>(mi.fordblks));
    j.field("releasable_top_bytes", static_cast<uint64_t>(mi.keepcost));
#else
    j.field("name", "not glibc: no allocator figures");
#endif
    j.w().EndObject();
}

// Returns memory the allocator holds but does not use to the OS; false where not supported.
bool release_free_memory() {
#ifdef __GLIBC__
    return malloc_trim(0) == 1;
#else
    return false;
#endif
}

HttpResponse heap(const AgentView &view) {
    AgentSnapshot snap = view.snapshot();
    JsonOut j;
    j.w().StartObject();
    j.field("rss_bytes", snap.process.rss_bytes);
    j.field("peak_rss_bytes", snap.process.peak_rss_bytes);
    allocator(j);
    uint64_t total = 0;
    j.key("channels");
    j.w().StartArray();
    for (const auto &c : snap.channels) {
        j.w().StartObject();
        j.field("channel", c.name);
        j.field("component", c.component);
        j.field("instance", c.instance);
        j.field("records", c.records);
        j.field("bytes", c.bytes);
        j.w().EndObject();
        total += c.bytes;
    }
    j.w().EndArray();
    j.field("bytes_in_channels", total);
    j.w().EndObject();
    return j.response();
}

HttpResponse gc_report() {
    JsonOut j;
    j.w().StartObject();
    j.field("collector", "none: C++ frees memory as it goes");
    j.field("rss_bytes", resident_bytes());
    allocator(j);
    j.field("hint", "POST /debug?cmd=gc returns the allocator's free memory to the OS");
    j.w().EndObject();
    return j.response();
}

HttpResponse gc_release() {
    uint64_t before = resident_bytes();
    bool released = release_free_memory();
    uint64_t after = resident_bytes();
    JsonOut j;
    j.w().StartObject();
    j.field("rss_before_bytes", before);
    j.field("rss_after_bytes", after);
    j.field("released_bytes", before > after ? before - after : uint64_t{0});
    j.field("malloc_trim_released", released);
    j.w().EndObject();
    return j.response();
}

HttpResponse threads(const AgentView &view) {
    AgentSnapshot snap = view.snapshot();
    auto rows = thread_roles(list_threads(), snap);
    JsonOut j;
    j.w().StartObject();
    j.field("count", static_cast<uint64_t>(rows.size()));
    j.key("threads");
    j.w().StartArray();
    for (const auto &t : rows) {
        j.w().StartObject();
        j.field("tid", t.tid);
        j.field("name", t.name);
        j.field("role", t.role);
        j.field("state", std::string(1, t.state));
        j.field("cpu_seconds", t.cpu_seconds);
        if (!t.component.empty()) j.field("component", t.component);
        if (!t.plugin.empty()) j.field("plugin", t.plugin);
        if (!t.instance.empty()) j.field("instance", t.instance);
        if (t.has_records) j.field("records", t.records);
        if (!t.queue.empty()) {
            j.field("queue", t.queue);
            j.field("queue_records", t.queue_records);
        }
        j.w().EndObject();
    }
    j.w().EndArray();
    j.w().EndObject();
    return j.response();
}

} // namespace

HttpResponse debug_endpoint(const AgentView &view, const HttpRequest &request) {
    auto it = request.params.find("cmd");
    const std::string accepted = R"(["heap","gc","go"])";
    if (it == request.params.end())
        return json_error(400, "missing cmd; expected /debug?cmd=heap, gc or go",
                          {{"accepted", accepted}});
    const std::string &cmd = it->second;
    if (request.method == "POST") {
        if (cmd == "gc") return gc_release();
        return json_error(400, "POST takes cmd=gc only", {{"accepted", R"(["gc"])"}});
    }
    if (cmd == "heap") return heap(view);
    if (cmd == "gc") return gc_report();
    if (cmd == "go") return threads(view);
    return json_error(400, "unknown cmd; expected heap, gc or go", {{"accepted", accepted}});
}

} // namespace mafio
