// Fuzzes the plugin SDK's options helper (plugin-sdk/include/mafio/options.hpp): any text as the
// options JSON, then every accessor on every key the document has (and one it has not). Each
// call must return a value within its stated bounds or throw mafio::Error; anything else (another
// exception type, a crash, a sanitizer report) is a bug.
#include <mafio/options.hpp>

#include <rapidjson/document.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

template <typename F> void expect_only_mafio_error(F &&f) {
    try {
        f();
    } catch (const mafio::Error &) {
    }
}

void every_accessor(mafio::Options &o, const char *key) {
    expect_only_mafio_error([&] { (void)o.has(key); });
    expect_only_mafio_error([&] { (void)o.string(key, "def"); });
    expect_only_mafio_error([&] { (void)o.required_string(key); });
    expect_only_mafio_error([&] { (void)o.strings(key); });
    expect_only_mafio_error([&] { (void)o.boolean(key, true); });
    expect_only_mafio_error([&] {
        int64_t v = o.integer(key, 5, -10, 1000);
        if (v < -10 || v > 1000) std::abort();
    });
    expect_only_mafio_error([&] {
        int64_t v = o.integer(key, 0, INT64_MIN, INT64_MAX);
        (void)v;
    });
    expect_only_mafio_error([&] {
        uint64_t v = o.size(key, 7, 1, UINT32_MAX);
        if (v < 1 || v > UINT32_MAX) std::abort();
    });
    expect_only_mafio_error([&] { (void)o.size(key, 0); });
    expect_only_mafio_error([&] {
        double s = o.seconds(key, 1.0);
        if (!(s >= 0)) std::abort();
    });
    expect_only_mafio_error([&] { (void)o.choice(key, "a", {"a", "b", "lines"}); });
}

// A size written as plain digits must come back as (the nearest integer to) that number.
void check_plain_size(const std::string &s) {
    if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos) return;
    const auto v = mafio::parse_size(s);
    const double want = std::strtod(s.c_str(), nullptr);
    if (want > 1.8e19) {
        if (v) std::abort();
        return;
    }
    if (!v || std::fabs(static_cast<double>(*v) - want) > want * 1e-15 + 0.5) std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    // The ABI hands options over as a NUL-terminated string.
    const std::string json(reinterpret_cast<const char *>(data), size);

    // The keys to ask for: those of the document when it parses (iteratively, so that this
    // harness itself never overflows the stack), plus one that is never there.
    std::vector<std::string> keys{"absent"};
    {
        rapidjson::Document d;
        d.Parse<rapidjson::kParseIterativeFlag>(json.c_str());
        if (!d.HasParseError() && d.IsObject())
            // Indexing, not iterator comparison: clang in C++20 finds RapidJSON's ambiguous.
            for (rapidjson::SizeType i = 0; i < d.MemberCount() && keys.size() < 16; ++i) {
                const auto &m = d.MemberBegin()[i];
                keys.emplace_back(m.name.GetString()); // up to a NUL
                if (m.value.IsString()) check_plain_size(m.value.GetString());
            }
    }

    try {
        mafio::Options o(json.c_str(), "inputs[0]");
        for (const auto &k : keys)
            every_accessor(o, k.c_str());
        expect_only_mafio_error([&] { o.reject_unknown(); });
    } catch (const mafio::Error &) {
    }
    try {
        // No option asked for: the first key present is refused.
        mafio::Options fresh(json.c_str());
        if (keys.size() > 2) (void)fresh.has(keys[2].c_str());
        fresh.reject_unknown();
    } catch (const mafio::Error &) {
    }
    return 0;
}
