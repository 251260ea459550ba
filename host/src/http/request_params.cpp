#include "http/request_params.hpp"

#include <Poco/URI.h>

namespace mafio {

std::optional<std::string> add_parameters(const std::string &encoded,
                                          std::map<std::string, std::string> &params) {
    Poco::URI uri;
    uri.setRawQuery(encoded);
    std::map<std::string, std::string> added;
    for (auto &[name, value] : uri.getQueryParameters())
        if (params.count(name) != 0 || !added.emplace(name, value).second) return name;
    params.merge(added);
    return std::nullopt;
}

} // namespace mafio
