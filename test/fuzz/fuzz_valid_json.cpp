// Fuzzes valid:V1's JSON check (plugins/valid/V1/json_check.hpp) against RapidJSON's parser
// used the ordinary way (whole text, trailing bytes checked by RapidJSON itself). One
// JsonChecker is kept across inputs, as the filter keeps one across records, so state left
// behind by an earlier record (after an error, say) would show up as a disagreement.
#include "../../plugins/valid/V1/json_check.hpp"

#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

namespace {
bool reference_single_value(std::string_view text) {
    // A raw NUL is never valid JSON; RapidJSON's document parser would take it as the end.
    if (text.find('\0') != std::string_view::npos) return false;
    // A bare MemoryStream: Document::Parse(str, len) would wrap it in an EncodedInputStream,
    // which skips (a sloppy prefix of) a UTF-8 byte-order mark; records get no such skipping.
    rapidjson::MemoryStream stream(text.data(), text.size());
    rapidjson::BaseReaderHandler<> handler;
    rapidjson::Reader reader;
    return !reader
                .Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseNumbersAsStringsFlag>(
                    stream, handler)
                .IsError();
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static valid_v1::JsonChecker checker;
    // An exactly sized heap copy, not NUL-terminated, as a record is.
    std::vector<char> buf(data, data + size);
    const std::string_view text(buf.data(), buf.size());
    const bool got = checker.is_single_value(text);
    if (got != reference_single_value(text)) std::abort();
    if (checker.is_single_value(text) != got) std::abort();
    return 0;
}
