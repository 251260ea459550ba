// The message of the ConfigError that loading a command line's configuration throws, for the
// config tests; fails the test when nothing is thrown.
#pragma once

#include "config/load_config.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace mafio::test {

inline std::string config_error(const CommandLine &cl) {
    try {
        load_config(cl);
    } catch (const ConfigError &e) {
        return e.what();
    }
    FAIL("expected a ConfigError");
    return "";
}

} // namespace mafio::test
