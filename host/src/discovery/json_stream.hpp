// Splits the body of an etcd gateway stream (POST /v3/watch answers with one JSON object after
// another, in chunks cut anywhere) into whole top-level objects. Only braces outside strings
// count, so a '}' inside a value (or an escaped quote) does not end an object early.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mafio {

class JsonStreamSplitter {
public:
    // Takes the next bytes; returns the objects they completed, in order.
    std::vector<std::string> feed(std::string_view bytes);
    // Bytes of an object begun but not yet complete.
    size_t pending() const { return current_.size(); }

private:
    std::string current_;
    int depth_ = 0;
    bool in_string_ = false, escaped_ = false;
};

} // namespace mafio
