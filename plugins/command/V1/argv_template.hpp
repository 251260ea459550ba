// command:V1's `argv` template: each element is copied, with every "{record}" in it replaced by
// the record. Whatever the record holds (spaces, quotes, `;`), it stays inside the one argument
// it was put in: no shell ever parses it unless the template itself runs one.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace command_v1 {

inline constexpr std::string_view kRecordToken = "{record}";

inline std::string substitute(const std::string &element, std::string_view record) {
    std::string out;
    size_t from = 0;
    for (;;) {
        const size_t at = element.find(kRecordToken, from);
        if (at == std::string::npos) break;
        out.append(element, from, at - from);
        out.append(record);
        from = at + kRecordToken.size();
    }
    out.append(element, from, std::string::npos);
    return out;
}

inline std::vector<std::string> expand(const std::vector<std::string> &argv_template,
                                       std::string_view record) {
    std::vector<std::string> argv;
    argv.reserve(argv_template.size());
    for (const auto &e : argv_template)
        argv.push_back(substitute(e, record));
    return argv;
}

inline bool mentions_record(const std::vector<std::string> &argv_template) {
    for (const auto &e : argv_template)
        if (e.find(kRecordToken) != std::string::npos) return true;
    return false;
}

} // namespace command_v1
