#include "app/version.hpp"

#include "build_info.hpp"

#include <mafio/plugin.h>

#include <fmt/format.h>

#include <string>

namespace mafio {

std::string version_text() {
    // The banner of the original Go agent, kept as operators know it. One string per line:
    // the art ends lines with a backslash, which must not meet a newline in the source.
    static const char *const banner[] = {
        "",
        "                _____.__        ",
        "  _____ _____ _/ ____\\__| ____  ",
        " /     \\\\__  \\\\   __\\|  |/  _ \\ ",
        "|  Y Y  \\/ __ \\|  |  |  (  <_> )",
        "|__|_|  (____  /__|  |__|\\____/ ",
        "      \\/     \\/     ",
    };
    std::string art;
    for (const char *line : banner)
        art += std::string(line) + "\n";
    // The first line is for scripts and bug reports (`mafio -version | head -n 1`).
    return fmt::format(
        "mafio {}\n{}\n\t\t   Version {}\n\nplugin ABI {}.{}\nbuild {} {} ({}), commit {}\n",
        build::version, art, build::version, MAFIO_ABI_MAJOR, MAFIO_ABI_MINOR, build::build_type,
        build::compiler, __DATE__, build::commit);
}

std::string version_number() {
    return std::string(build::version) + "\n";
}

} // namespace mafio
