#include "discovery/json_stream.hpp"

namespace mafio {

std::vector<std::string> JsonStreamSplitter::feed(std::string_view bytes) {
    std::vector<std::string> done;
    for (char c : bytes) {
        if (depth_ == 0 && c != '{') continue; // whitespace or newlines between objects
        current_ += c;
        if (in_string_) {
            if (escaped_)
                escaped_ = false;
            else if (c == '\\')
                escaped_ = true;
            else if (c == '"')
                in_string_ = false;
            continue;
        }
        if (c == '"')
            in_string_ = true;
        else if (c == '{' || c == '[')
            ++depth_;
        else if ((c == '}' || c == ']') && --depth_ == 0)
            done.push_back(std::move(current_)), current_.clear();
    }
    return done;
}

} // namespace mafio
