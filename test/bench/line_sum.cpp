// mafio_bench_linesum [FILE...] — prints "LINES BYTES SUM SQUARES" for the lines of the files
// (or stdin): how many, their bytes without the '\n', and two order-independent sums of a 64-bit
// hash of each line (of h and of h*h, mod 2^64).
//
// The benchmark's many-file scenarios write every file's lines into one output, interleaved in
// an order that depends on timing: the output is right when it holds exactly the input's lines,
// each as often, which these figures tell (a line lost, doubled or altered changes them) in one
// pass, where sorting 430 MB twice per run would cost more than the run measured. Order within
// each file is the end-to-end tests' business (test_tail_many_files.sh).
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

uint64_t mix(uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 33);
}

uint64_t hash_line(const char *p, size_t n) {
    uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
    for (; n >= 8; p += 8, n -= 8) {
        uint64_t w;
        std::memcpy(&w, p, 8);
        h = (h ^ w) * 0x100000001b3ull;
        h ^= h >> 29;
    }
    uint64_t w = 0;
    std::memcpy(&w, p, n);
    return mix(h ^ w);
}

struct Sums {
    uint64_t lines = 0, bytes = 0, sum = 0, squares = 0;
    void add(const char *p, size_t n) {
        const uint64_t h = hash_line(p, n);
        ++lines;
        bytes += n;
        sum += h;
        squares += h * h;
    }
};

bool sum_file(std::FILE *f, Sums &s) {
    std::vector<char> buf(1 << 20);
    std::string carry; // a line cut by the end of a read
    size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) {
        const char *p = buf.data();
        const char *end = p + n;
        while (p < end) {
            const char *nl = static_cast<const char *>(std::memchr(p, '\n', end - p));
            if (!nl) {
                carry.append(p, end);
                break;
            }
            if (carry.empty()) {
                s.add(p, nl - p);
            } else {
                carry.append(p, nl);
                s.add(carry.data(), carry.size());
                carry.clear();
            }
            p = nl + 1;
        }
    }
    if (!carry.empty()) s.add(carry.data(), carry.size()); // an unterminated last line
    return !std::ferror(f);
}

} // namespace

int main(int argc, char **argv) {
    Sums s;
    if (argc < 2 && !sum_file(stdin, s)) return 1;
    for (int i = 1; i < argc; ++i) {
        std::FILE *f = std::fopen(argv[i], "rb");
        if (!f || !sum_file(f, s)) {
            std::perror(argv[i]);
            return 1;
        }
        std::fclose(f);
    }
    std::printf("%llu %llu %llu %llu\n", static_cast<unsigned long long>(s.lines),
                static_cast<unsigned long long>(s.bytes), static_cast<unsigned long long>(s.sum),
                static_cast<unsigned long long>(s.squares));
    return 0;
}
