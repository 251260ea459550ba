// mafio_bench_gen SIZE [SEED] — writes SIZE bytes (e.g. 200M, 2G, 64K) of realistic log lines to
// stdout, the same bytes for the same SIZE and SEED on every machine.
//
// The mix, per line: 72% nginx-style access lines (~110 bytes), 25% JSON lines (~230 bytes,
// some with non-ASCII text so that UTF-8 validation leaves its ASCII fast path), 2% long lines
// of 1..8 KiB (stack-trace-like text), 1% empty lines (which `valid` drops): ~230 bytes a line.
// Everything is valid UTF-8 and every line ends with '\n'; the output stops at the first line end
// at or past SIZE.
//
// Written in C++ because python3 makes 2 GB in minutes, this in seconds.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

// splitmix64: tiny, fast, and identical everywhere (std:: distributions are not).
struct Rng {
    uint64_t state;
    uint64_t next() {
        uint64_t z = (state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    uint32_t below(uint32_t n) { return static_cast<uint32_t>(next() % n); }
    template <size_t N> const char *pick(const char *const (&items)[N]) { return items[below(N)]; }
};

const char *const kMethods[] = {"GET", "GET", "GET", "POST", "PUT", "DELETE", "HEAD"};
const char *const kPaths[] = {"/",
                              "/index.html",
                              "/api/v1/users",
                              "/api/v1/orders",
                              "/static/app.js",
                              "/static/style.css",
                              "/login",
                              "/health",
                              "/images/logo.png",
                              "/api/v2/search?q=mafio&page=2"};
const char *const kAgents[] = {"curl/7.88.1", "Mozilla/5.0 (X11; Linux x86_64)",
                               "Go-http-client/1.1", "Prometheus/2.45.0"};
const int kStatuses[] = {200, 200, 200, 200, 301, 304, 404, 500};
const char *const kLevels[] = {"info", "info", "info", "debug", "warn", "error"};
const char *const kMessages[] = {
    "request served", "cache miss",        "user logged in",      "connexion refusée par l'hôte",
    "リクエスト完了", "retrying upstream", "Größe überschritten", "slow query"};
const char *const kWords[] = {"at",
                              "com.example.Service.handle(Service.java:42)",
                              "caused",
                              "by",
                              "java.lang.IllegalStateException:",
                              "null",
                              "frame",
                              "worker-7",
                              "0x7f3a9c",
                              "timeout"};

void access_line(Rng &r, std::string &out) {
    char buf[256];
    int n = std::snprintf(buf, sizeof buf,
                          "10.%u.%u.%u - - [24/Nov/2024:20:%02u:%02u +0000] \"%s %s HTTP/1.1\" "
                          "%d %u \"-\" \"%s\"\n",
                          r.below(256), r.below(256), r.below(256), r.below(60), r.below(60),
                          r.pick(kMethods), r.pick(kPaths), kStatuses[r.below(8)], r.below(50000),
                          r.pick(kAgents));
    out.append(buf, static_cast<size_t>(n));
}

void json_line(Rng &r, std::string &out) {
    char buf[512];
    int n =
        std::snprintf(buf, sizeof buf,
                      "{\"ts\":\"2024-11-24T20:%02u:%02u.%03uZ\",\"level\":\"%s\","
                      "\"msg\":\"%s\",\"service\":\"svc-%u\",\"trace_id\":\"%016llx\","
                      "\"latency_ms\":%u.%u,\"user\":{\"id\":%u,\"ok\":%s}}\n",
                      r.below(60), r.below(60), r.below(1000), r.pick(kLevels), r.pick(kMessages),
                      r.below(20), static_cast<unsigned long long>(r.next()), r.below(2000),
                      r.below(10), r.below(100000), r.below(2) ? "true" : "false");
    out.append(buf, static_cast<size_t>(n));
}

void long_line(Rng &r, std::string &out) {
    const size_t target = 1024 + r.below(7 * 1024); // 1..8 KiB
    const size_t start = out.size();
    out += "ERROR unhandled exception:";
    while (out.size() - start < target) {
        out += ' ';
        out += r.pick(kWords);
    }
    out += '\n';
}

uint64_t parse_size(const char *text) {
    char *end = nullptr;
    const unsigned long long n = std::strtoull(text, &end, 10);
    uint64_t unit = 1;
    if (*end == 'K' || *end == 'k')
        unit = 1ull << 10;
    else if (*end == 'M' || *end == 'm')
        unit = 1ull << 20;
    else if (*end == 'G' || *end == 'g')
        unit = 1ull << 30;
    else if (*end != '\0')
        return 0;
    return n * unit;
}

} // namespace

int main(int argc, char **argv) {
    const uint64_t size = argc >= 2 ? parse_size(argv[1]) : 0;
    if (argc < 2 || argc > 3 || size == 0) {
        std::fprintf(stderr, "usage: %s SIZE[K|M|G] [SEED]  (writes SIZE bytes of log lines)\n",
                     argv[0]);
        return 2;
    }
    Rng rng{argc == 3 ? std::strtoull(argv[2], nullptr, 10) : 42};
    std::string chunk;
    uint64_t written = 0;
    while (written < size) {
        chunk.clear();
        // Build ~1 MiB at a time so that fwrite is not called per line.
        while (chunk.size() < (1u << 20) && written + chunk.size() < size) {
            const uint32_t kind = rng.below(100);
            if (kind < 72)
                access_line(rng, chunk);
            else if (kind < 97)
                json_line(rng, chunk);
            else if (kind < 99)
                long_line(rng, chunk);
            else
                chunk += '\n';
        }
        if (std::fwrite(chunk.data(), 1, chunk.size(), stdout) != chunk.size()) {
            std::perror("mafio_bench_gen: write");
            return 1;
        }
        written += chunk.size();
    }
    return std::fflush(stdout) == 0 ? 0 : 1;
}
