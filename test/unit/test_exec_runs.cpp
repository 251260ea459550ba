// exec:V1 driven through its ABI (the built exec-V1.so, a fake host with the fd and timer
// extensions): a poll() after end of input starts a new run with the same output, and between
// runs nothing is left behind: no watched descriptor, no open descriptor, no child. Destroying
// the instance during a run stops the command. This is what a host-side schedule relies on.
#include <mafio/plugin.hpp>

#include <catch2/catch.hpp>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <dlfcn.h>
#include <set>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

struct Fake {
    std::vector<std::string> records;
    std::set<int> watched;
    int64_t wake = 0;
};
Fake &fake(mafio_host_ctx *ctx) {
    return *reinterpret_cast<Fake *>(ctx);
}

mafio_batch *batch_new(mafio_host_ctx *, uint64_t bytes, uint32_t records) {
    auto *b = static_cast<mafio_batch *>(std::calloc(1, sizeof(mafio_batch)));
    b->struct_size = sizeof(mafio_batch);
    b->arena_capacity = bytes + 1;
    b->arena = static_cast<uint8_t *>(std::malloc(b->arena_capacity));
    b->records_capacity = records + 1;
    b->records =
        static_cast<mafio_record *>(std::malloc(b->records_capacity * sizeof(mafio_record)));
    return b;
}
void batch_reserve(mafio_host_ctx *, mafio_batch *b, uint64_t bytes, uint32_t records) {
    if (b->arena_size + bytes > b->arena_capacity) {
        b->arena_capacity = b->arena_size + bytes;
        b->arena = static_cast<uint8_t *>(std::realloc(b->arena, b->arena_capacity));
    }
    if (b->count + records > b->records_capacity) {
        b->records_capacity = b->count + records;
        b->records = static_cast<mafio_record *>(
            std::realloc(b->records, b->records_capacity * sizeof(mafio_record)));
    }
}
void batch_free(mafio_host_ctx *, mafio_batch *b) {
    std::free(b->arena);
    std::free(b->records);
    std::free(b);
}

const mafio_fd_ext kFd{sizeof(mafio_fd_ext), 0,
                       [](mafio_host_ctx *ctx, int fd) {
                           fake(ctx).watched.insert(fd);
                           return mafio_status(MAFIO_OK);
                       },
                       [](mafio_host_ctx *ctx, int fd) { fake(ctx).watched.erase(fd); }};
const mafio_timer_ext kTimer{sizeof(mafio_timer_ext), 0,
                             [](mafio_host_ctx *ctx, int64_t ns) { fake(ctx).wake = ns; }};

mafio_host make_host() {
    mafio_host h{};
    h.struct_size = sizeof h;
    h.abi_major = MAFIO_ABI_MAJOR;
    h.abi_minor = MAFIO_ABI_MINOR;
    h.log = [](mafio_host_ctx *, mafio_log_level, const char *) {};
    h.set_error = [](mafio_host_ctx *, const char *msg) { UNSCOPED_INFO("set_error: " << msg); };
    h.metric_register = [](mafio_host_ctx *, const char *, const char *, uint32_t) {
        return mafio_metric_id(0);
    };
    h.counter_add = [](mafio_host_ctx *, mafio_metric_id, uint64_t) {};
    h.gauge_set = [](mafio_host_ctx *, mafio_metric_id, int64_t) {};
    h.batch_new = batch_new;
    h.batch_reserve = batch_reserve;
    h.batch_set_checkpoint = [](mafio_host_ctx *, mafio_batch *, const uint8_t *, uint32_t) {};
    h.batch_free = batch_free;
    h.emit = [](mafio_host_ctx *ctx, mafio_batch *b) {
        for (uint32_t i = 0; i < b->count; ++i)
            fake(ctx).records.emplace_back(mafio::record_bytes(b, i));
        batch_free(ctx, b);
        return mafio_status(MAFIO_OK);
    };
    h.stopping = [](mafio_host_ctx *) { return 0; };
    h.get_extension = [](mafio_host_ctx *, const char *name) -> const void * {
        if (std::strcmp(name, MAFIO_EXT_FD) == 0) return &kFd;
        if (std::strcmp(name, MAFIO_EXT_TIMER) == 0) return &kTimer;
        return nullptr;
    };
    return h;
}

size_t open_fds() {
    size_t n = 0;
    DIR *d = ::opendir("/proc/self/fd");
    while (::readdir(d))
        ++n;
    ::closedir(d);
    return n;
}

struct Exec {
    void *lib = nullptr;
    const mafio_plugin_desc *desc = nullptr;
    Exec() {
        const std::string path = std::string(MAFIO_BUILD_PLUGINS_DIR) + "/exec-V1.so";
        lib = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        REQUIRE(lib);
        auto entry = reinterpret_cast<const mafio_plugin_desc *(*)(uint32_t, uint32_t)>(
            ::dlsym(lib, "mafio_plugin_entry_v1"));
        REQUIRE(entry);
        desc = entry(MAFIO_ABI_MAJOR, MAFIO_ABI_MINOR);
        REQUIRE(desc);
    }
    ~Exec() { ::dlclose(lib); }
    const mafio_input_vtable &vt() const {
        return *static_cast<const mafio_input_vtable *>(desc->vtable);
    }
    void *create(const mafio_host &host, Fake &f, const char *options) const {
        mafio_create_args a{};
        a.struct_size = sizeof a;
        a.host = &host;
        a.ctx = reinterpret_cast<mafio_host_ctx *>(&f);
        a.options_json = options;
        a.instance = "inputs[0]";
        a.data_dir = "";
        void *inst = nullptr;
        REQUIRE(vt().life.create(&a, &inst) == MAFIO_OK);
        mafio_start_args s{};
        s.struct_size = sizeof s;
        REQUIRE(vt().life.start(inst, &s) == MAFIO_OK);
        return inst;
    }
    // Polls until end of input (bounded), sleeping briefly on MAFIO_RETRY.
    void run_to_eof(void *inst) const {
        for (int i = 0; i < 20000; ++i) {
            const mafio_status st = vt().poll(inst);
            if (st == MAFIO_EOF) return;
            REQUIRE((st == MAFIO_OK || st == MAFIO_RETRY));
            if (st == MAFIO_RETRY) ::usleep(1000);
        }
        FAIL("exec did not reach end of input");
    }
};

} // namespace

TEST_CASE("exec:V1 runs again when polled after end of input, leaving nothing between runs") {
    Exec exec;
    const mafio_host host = make_host();
    Fake f;
    const size_t fds_before = open_fds();
    void *inst = exec.create(host, f, R"({"argv":["printf","one\ntwo"],"emit_status":true})");
    exec.run_to_eof(inst);
    CHECK(f.records.size() == 3);
    CHECK(f.watched.empty());
    CHECK(open_fds() == fds_before);
    CHECK(::waitpid(-1, nullptr, WNOHANG) <= 0); // no zombie of ours
    exec.run_to_eof(inst);
    REQUIRE(f.records.size() == 6);
    CHECK(f.records[0] == "one");
    CHECK(f.records[1] == "two");
    CHECK(f.records[3] == "one");
    CHECK(f.records[4] == "two");
    CHECK(f.records[5].rfind("{\"exit_code\":0,\"signal\":null,", 0) == 0);
    CHECK(f.watched.empty());
    CHECK(open_fds() == fds_before);
    exec.vt().life.stop(inst);
    exec.vt().life.destroy(inst);
}

TEST_CASE("exec:V1 destroyed during a run stops its command") {
    Exec exec;
    const mafio_host host = make_host();
    Fake f;
    const size_t fds_before = open_fds();
    void *inst = exec.create(host, f, R"({"shell":true,"command":"echo $$; exec sleep 1000"})");
    for (int i = 0; i < 10000 && f.records.empty(); ++i) {
        REQUIRE(exec.vt().poll(inst) != MAFIO_EOF);
        ::usleep(1000);
    }
    REQUIRE(f.records.size() == 1);
    const pid_t pid = static_cast<pid_t>(std::stol(f.records[0]));
    CHECK(::kill(pid, 0) == 0);
    CHECK(f.watched.size() == 3); // stdout, stderr, the exit (pidfd)
    exec.vt().life.stop(inst);
    exec.vt().life.destroy(inst);
    CHECK(::kill(pid, 0) == -1); // stopped and reaped: the pid no longer exists
    CHECK(open_fds() == fds_before);
}
