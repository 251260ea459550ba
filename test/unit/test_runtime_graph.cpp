// The component graph end to end in one process: routes by tag and match, acknowledgement
// across routes, batches emptied by filters, unrouted batches, per-component drain, scheduler
// wake-ups, and checkpoints keyed by component id with their format.
#include "app/build_pipeline.hpp"
#include "runtime_fakes.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <thread>

using namespace mafio;
using namespace mafio::test;

namespace {

PipelineSettings settings(const std::string &data_dir = {}) {
    PipelineSettings s;
    s.data_dir = data_dir;
    s.checkpoint_interval = std::chrono::milliseconds(10);
    return s;
}

// As the agent does: component directories, then outputs, filters, inputs with checkpoints.
void start_all(Pipeline &p) {
    start_pipeline(p);
}

int run_to_end(Pipeline &p) {
    p.connect();
    start_all(p);
    p.run();
    return p.wait();
}

auto counting = [] { return fake_plugin<CountingInput>("counting"); };
auto dropping = [] { return fake_plugin<DropFilter>("dropping"); };
auto collecting = [] { return fake_plugin<CollectOutput>("collecting"); };

} // namespace

TEST_CASE("routes: each output gets exactly the tags it matches, filters only theirs",
          "[runtime]") {
    received().clear();
    Pipeline p(settings());
    p.add_input(make(p, counting(), "web", R"({"prefix": "w", "records": 3})"), "app.web");
    p.add_input(make(p, counting(), "db", R"({"prefix": "d", "records": 3})"), "db");
    // Drops records containing "1" (w1, d1, w10, ...), but only on app.* batches.
    p.add_filter(make(p, dropping(), "no_ones", R"({"drop": "1"})"), {"app.*"});
    p.add_output(make(p, collecting(), "apps"), {"app.*"});
    p.add_output(make(p, collecting(), "dbs"), {"db"});
    p.add_output(make(p, collecting(), "all"), {});
    p.connect();
    CHECK(p.route(0).filters == std::vector<size_t>{0});
    CHECK(p.route(0).outputs == std::vector<size_t>{0, 2});
    CHECK(p.route(1).filters.empty());
    CHECK(p.route(1).outputs == std::vector<size_t>{1, 2});
    REQUIRE(run_to_end(p) == exit_ok);

    const std::vector<std::string> web = {"w0", "w2", "w3", "w4", "w5", "w6", "w7", "w8"};
    const std::vector<std::string> db = {"d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8"};
    CHECK(received().of("apps") == web);
    CHECK(received().of("dbs") == db);
    auto all = received().of("all");
    CHECK(all.size() == web.size() + db.size());
    CHECK(p.filters()[0]->stats.records_in == 9); // only the web input's records
    CHECK(p.unfinished_batches(0) == 0);
    CHECK(p.unfinished_batches(1) == 0);
}

TEST_CASE("a batch no output matches is acknowledged at once and counted as unrouted",
          "[runtime]") {
    received().clear();
    TempDir dir;
    Pipeline p(settings(dir.path().string()));
    p.add_input(make(p, counting(), "orphan", R"({"batches": 4, "records": 5})"), "nobody");
    p.add_output(make(p, collecting(), "apps"), {"app.*"});
    REQUIRE(run_to_end(p) == exit_ok);
    CHECK(p.unrouted_records(0) == 20);
    CHECK(received().of("apps").empty());
    // Acknowledged means committed: the checkpoint of the last batch was stored.
    CheckpointStore store(dir.path().string(), "orphan");
    CHECK(store.load() == CheckpointMap{{0, {'2', '0'}}});
}

TEST_CASE("acknowledgement waits for every routed output, across partial writes", "[runtime]") {
    received().clear();
    TempDir dir;
    Pipeline p(settings(dir.path().string()));
    p.add_input(make(p, counting(), "src", R"({"batches": 3, "records": 4})"), "t");
    p.add_output(make(p, collecting(), "fast"), {});
    // Three partial writes (one record done, MAFIO_RETRY) before it takes whole bulks.
    p.add_output(make(p, collecting(), "slow", R"({"retry_first": 3})"), {});
    p.outputs()[1]->retry_initial = std::chrono::milliseconds(1);
    REQUIRE(run_to_end(p) == exit_ok);
    CHECK(received().of("fast").size() == 12);
    CHECK(received().of("slow") == received().of("fast"));
    CHECK(p.outputs()[1]->stats.retries == 3);
    CheckpointStore store(dir.path().string(), "src");
    CHECK(store.load() == CheckpointMap{{0, {'1', '2'}}});
}

TEST_CASE("batches emptied by filters finish at once and still commit in order", "[runtime]") {
    received().clear();
    TempDir dir;
    Pipeline p(settings(dir.path().string()));
    p.add_input(make(p, counting(), "src", R"({"prefix": "x", "batches": 5})"), "t");
    p.add_filter(make(p, dropping(), "drop_all", R"({"drop": "x"})"), {});
    p.add_output(make(p, collecting(), "out"), {});
    REQUIRE(run_to_end(p) == exit_ok);
    CHECK(received().of("out").empty());
    CHECK(p.filters()[0]->stats.records_dropped == 10);
    CheckpointStore store(dir.path().string(), "src");
    CHECK(store.load() == CheckpointMap{{0, {'1', '0'}}});
}

TEST_CASE("drain waits for a paused output; resume lets it finish", "[runtime]") {
    received().clear();
    Pipeline p(settings());
    p.add_input(make(p, counting(), "src", R"({"batches": 2})"), "t");
    p.add_output(make(p, collecting(), "out"), {});
    p.connect();
    start_all(p);
    REQUIRE(p.pause("out").empty());
    CHECK(p.paused("out"));
    p.run();
    // The input emits both batches; the paused output takes at most one off its queue.
    while (p.inputs()[0]->stats.batches < 2)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::string problem = p.drain("src", std::chrono::milliseconds(200));
    CHECK_FALSE(problem.empty());
    CHECK(p.drain("out", std::chrono::milliseconds(10)).find("paused") != std::string::npos);
    REQUIRE(p.resume("out").empty());
    CHECK(p.drain("src", std::chrono::seconds(60)).empty());
    CHECK(p.drain("out", std::chrono::seconds(60)).empty());
    CHECK(p.wait() == exit_ok);
    CHECK(received().of("out").size() == 4);
    CHECK(p.pause("nope").find("no component") != std::string::npos);
}

TEST_CASE("an input stopped alone ends, drains and stores while the others go on", "[runtime]") {
    received().clear();
    TempDir dir;
    int fds[2];
    REQUIRE(::pipe2(fds, O_NONBLOCK | O_CLOEXEC) == 0);
    Pipeline p(settings(dir.path().string()));
    p.add_input(make(p, fake_plugin<PipeInput>("pipe"), "waiting",
                     R"({"fd": )" + std::to_string(fds[0]) + "}"),
                "t");
    p.add_input(make(p, counting(), "counted", R"({"batches": 2})"), "t");
    p.add_output(make(p, collecting(), "out"), {});
    p.connect();
    start_all(p);
    p.run();
    CHECK(p.stop_component("waiting", std::chrono::seconds(60)).empty());
    CHECK(p.stop_component("nope", std::chrono::seconds(1)).find("no component") !=
          std::string::npos);
    CHECK(p.wait() == exit_ok);
    CHECK(received().of("out").size() == 4);
    ::close(fds[0]);
    ::close(fds[1]);
}

TEST_CASE("a scheduled input is polled when its descriptor is readable, not in a loop",
          "[runtime]") {
    received().clear();
    int fds[2];
    REQUIRE(::pipe2(fds, O_NONBLOCK | O_CLOEXEC) == 0);
    PipeInput::polls() = 0;
    Pipeline p(settings());
    p.add_input(make(p, fake_plugin<PipeInput>("pipe"), "pipe",
                     R"({"fd": )" + std::to_string(fds[0]) + "}"),
                "t");
    p.add_output(make(p, collecting(), "out"), {});
    p.connect();
    start_all(p);
    p.run();
    // Idle: an unscheduled input would be polled every 20 ms (about 25 times here). A slower
    // machine only polls less, so this bound cannot fail for want of speed.
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    CHECK(PipeInput::polls() <= 3);
    REQUIRE(::write(fds[1], "hello", 5) == 5);
    while (received().of("out").empty())
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    CHECK(received().of("out") == std::vector<std::string>{"hello"});
    REQUIRE(::write(fds[1], "EOF", 3) == 3);
    CHECK(p.wait() == exit_ok);
    ::close(fds[0]);
    ::close(fds[1]);
}

TEST_CASE("checkpoints are keyed by id, carry their format, and reach only plugins that read it",
          "[runtime]") {
    received().clear();
    TempDir dir;
    {
        Pipeline p(settings(dir.path().string()));
        p.add_input(make(p, counting(), "app_logs", R"({"batches": 2})"), "t");
        p.add_output(make(p, collecting(), "out"), {});
        REQUIRE(run_to_end(p) == exit_ok);
    }
    const auto file = dir.path() / "checkpoints" / "app_logs.ckpt";
    REQUIRE(std::filesystem::exists(file));
    CHECK(std::filesystem::is_directory(dir.path() / "components"));
    std::string format;
    CHECK(CheckpointStore(dir.path().string(), "app_logs").load(&format) ==
          CheckpointMap{{0, {'4'}}});
    CHECK(format == "test.counter/1");

    SECTION("the same id resumes, whatever its position") {
        Pipeline p(settings(dir.path().string()));
        p.add_input(make(p, counting(), "other", R"({"batches": 0})"), "t");
        p.add_input(make(p, counting(), "app_logs", R"({"batches": 0})"), "t");
        p.add_output(make(p, collecting(), "out"), {});
        CHECK(p.load_checkpoints(0).empty());
        auto views = p.load_checkpoints(1);
        REQUIRE(views.size() == 1);
        CHECK(std::string(reinterpret_cast<const char *>(views[0].data), views[0].len) == "4");
    }
    SECTION("a plugin that does not read the format gets nothing, and the file stays") {
        Pipeline p(settings(dir.path().string()));
        // The pipe input declares no format: it reads only "mafio.legacy/pipe".
        p.add_input(make(p, fake_plugin<PipeInput>("pipe"), "app_logs"), "t");
        CHECK(p.load_checkpoints(0).empty());
        CHECK(std::filesystem::exists(file));
    }
}

TEST_CASE("a 0.3 checkpoint file is adopted once by the input at its position", "[runtime]") {
    TempDir dir;
    std::filesystem::create_directories(dir.path() / "checkpoints");
    // 0.3 stored no format; its file is keyed by position and plugin name. Version 1 bytes:
    // "MAFIOCP1", count 1, stream 3, length 3, "old", CRC-32 of all that (zlib's crc32).
    {
        const std::string v1("MAFIOCP1\x01\0\0\0\x03\0\0\0\x03\0\0\0old", 23);
        uint32_t c = 0xFFFFFFFFu;
        for (unsigned char ch : v1) {
            c ^= ch;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        }
        c ^= 0xFFFFFFFFu;
        std::string bytes = v1;
        for (int i = 0; i < 4; ++i)
            bytes.push_back(static_cast<char>((c >> (8 * i)) & 0xFF));
        std::ofstream(dir.path() / "checkpoints" / "input-1-pipe.ckpt", std::ios::binary) << bytes;
    }
    Pipeline p(settings(dir.path().string()));
    p.add_input(make(p, counting(), "first", R"({"batches": 0})"), "t");
    p.add_input(make(p, fake_plugin<PipeInput>("pipe"), "second"), "t");
    CHECK(p.load_checkpoints(0).empty());
    auto views = p.load_checkpoints(1);
    REQUIRE(views.size() == 1);
    CHECK(views[0].stream == 3);
    CHECK(std::filesystem::exists(dir.path() / "checkpoints" / "second.ckpt"));
    CHECK_FALSE(std::filesystem::exists(dir.path() / "checkpoints" / "input-1-pipe.ckpt"));
}

TEST_CASE("when the grace period runs out, a retrying output gives up and nothing undelivered "
          "is committed",
          "[runtime]") {
    received().clear();
    TempDir dir;
    PipelineSettings s = settings(dir.path().string());
    s.shutdown_grace = std::chrono::milliseconds(100);
    Pipeline p(s);
    p.add_input(make(p, counting(), "src", R"({"batches": 2})"), "t");
    p.add_output(make(p, collecting(), "fine"), {});
    p.add_output(make(p, collecting(), "down", R"({"stuck": true})"), {});
    // A backoff far longer than the grace period: only giving up can end the wait in time.
    p.outputs()[1]->retry_initial = std::chrono::seconds(3600);
    p.outputs()[1]->retry_max = std::chrono::seconds(3600);
    p.connect();
    start_all(p);
    p.run();
    while (p.outputs()[1]->stats.retries == 0 || received().of("fine").size() < 4)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    p.request_stop("test");
    CHECK(p.wait() == exit_grace_expired);
    CHECK(p.threads_joined());
    CHECK(received().of("fine").size() == 4);
    // "down" never delivered: no position may be stored past what it still owed.
    CHECK(CheckpointStore(dir.path().string(), "src").load().empty());
}

TEST_CASE("a live swap hands the committed positions over, and refuses a format the new plugin "
          "does not read unless told to reset",
          "[runtime]") {
    received().clear();
    TempDir dir;
    int fds[2];
    REQUIRE(::pipe2(fds, O_NONBLOCK | O_CLOEXEC) == 0);
    Pipeline p(settings(dir.path().string()));
    p.add_input(make(p, counting(), "src", R"({"batches": 2, "end": false})"), "t");
    p.add_output(make(p, collecting(), "out"), {});
    p.connect();
    start_all(p);
    p.run();
    // A counting input again: it reads the format, and resumes from what the first committed.
    while (p.inputs()[0]->stats.batches < 2)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    auto same_kind = std::make_unique<Instance>(counting(), "src", "src", 0);
    same_kind->create(R"({"batches": 1, "end": false})", "", &p);
    CHECK(p.swap_input("src", std::move(same_kind), false, std::chrono::seconds(60)).empty());
    CHECK(CountingInput::last_resumed() == "4");
    // The host's counters carry over the swap: 2 batches before, 1 from the new instance.
    while (p.inputs()[0]->stats.batches < 3)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    // The pipe input reads only "mafio.legacy/pipe": refused, then accepted with a reset.
    auto other = std::make_unique<Instance>(fake_plugin<PipeInput>("pipe"), "src", "src", 0);
    other->create(R"({"fd": )" + std::to_string(fds[0]) + "}", "", &p);
    std::string why = p.swap_input("src", std::move(other), false, std::chrono::seconds(60));
    CHECK_THAT(why, Catch::Contains("does not read the checkpoint format \"test.counter/1\""));
    auto again = std::make_unique<Instance>(fake_plugin<PipeInput>("pipe"), "src", "src", 0);
    again->create(R"({"fd": )" + std::to_string(fds[0]) + "}", "", &p);
    CHECK(p.swap_input("src", std::move(again), true, std::chrono::seconds(60)).empty());
    CHECK(p.inputs()[0]->plugin().id() == "pipe:V1");
    REQUIRE(::write(fds[1], "EOF", 3) == 3);
    CHECK(p.wait() == exit_ok);
    // 2 batches from the first instance, 1 from the second (resumed), then "EOF" from the pipe.
    CHECK(received().of("out").size() == 2 * 2 + 2 + 1);
    ::close(fds[0]);
    ::close(fds[1]);
}

TEST_CASE("filters and outputs swapped while data flows: every record once, in order",
          "[runtime]") {
    received().clear();
    Pipeline p(settings());
    p.add_input(make(p, counting(), "src", R"({"batches": 3000, "records": 2})"), "t");
    p.add_filter(make(p, dropping(), "f", R"({"drop": "nothing-matches"})"), {});
    p.add_output(make(p, collecting(), "out"), {});
    p.connect();
    start_all(p);
    p.run();
    int swaps = 0;
    for (int i = 0; i < 10; ++i) {
        auto filter = std::make_unique<Instance>(dropping(), "f", "f", 0);
        filter->create(R"({"drop": "still-nothing"})", "", &p);
        if (p.swap_filter_or_output("f", std::move(filter), std::chrono::seconds(60)).empty())
            ++swaps;
        auto output = std::make_unique<Instance>(collecting(), "out", "out", 0);
        output->create("{}", "", &p);
        if (p.swap_filter_or_output("out", std::move(output), std::chrono::seconds(60)).empty())
            ++swaps;
    }
    CHECK(p.wait() == exit_ok);
    auto got = received().of("out");
    REQUIRE(got.size() == 6000);
    for (size_t i = 0; i < got.size(); ++i)
        if (got[i] != "r" + std::to_string(i)) FAIL("record " << i << " is " << got[i]);
    // Swaps refused only because the agent had already stopped (the input ended early).
    CHECK(swaps > 0);
    CHECK(p.outputs()[0]->stats.records_out == 6000); // counters carried over the swaps
}

TEST_CASE("a filter and an output stopped alone: batches pass the filter by, acknowledgement "
          "no longer waits for the output",
          "[runtime]") {
    received().clear();
    PipelineSettings s = settings();
    s.shutdown_grace = std::chrono::milliseconds(100);
    Pipeline p(s);
    p.add_input(make(p, counting(), "src", R"({"batches": 1000000, "records": 1})"), "t");
    p.add_filter(make(p, dropping(), "drop_all", R"({"drop": "r"})"), {});
    p.add_output(make(p, collecting(), "kept"), {});
    p.add_output(make(p, collecting(), "stuck", R"({"stuck": true})"), {});
    p.outputs()[1]->retry_initial = std::chrono::milliseconds(1);
    p.outputs()[1]->retry_max = std::chrono::milliseconds(1);
    p.connect();
    start_all(p);
    p.run();
    while (p.filters()[0]->stats.records_dropped < 10)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    CHECK(received().of("kept").empty()); // the filter dropped everything so far
    CHECK(p.stop_component("drop_all", std::chrono::seconds(60)).empty());
    CHECK(p.stop_component("drop_all", std::chrono::seconds(60)) == "drop_all: already stopped");
    while (received().of("kept").empty())
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    // The stuck output never writes its queue out: the bounded wait says so...
    CHECK_THAT(p.stop_component("stuck", std::chrono::milliseconds(100)),
               Catch::Contains("still writing"));
    // ...but it takes nothing more: the input runs on, acknowledged by "kept" alone.
    const auto before = received().of("kept").size();
    while (received().of("kept").size() < before + 5000)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    p.request_stop("test");
    CHECK(p.wait() == exit_grace_expired); // "stuck" still holds what it took before
}
