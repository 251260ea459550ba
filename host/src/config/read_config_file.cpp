#include "config/read_config_file.hpp"

#include "config/load_config.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace mafio {

namespace {

[[noreturn]] void cannot_read(const std::string &path, int err) {
    throw ConfigError("cannot read config file " + path + ": " + std::strerror(err));
}

} // namespace

std::string read_config_file(const std::string &path) {
    if (path.empty())
        throw ConfigError("-config: needs the path of a JSON configuration file, got \"\"");
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) cannot_read(path, errno);

    std::string text;
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int err = errno; // a directory fails here with EISDIR
            ::close(fd);
            cannot_read(path, err);
        }
        if (n == 0) break;
        text.append(buf, static_cast<size_t>(n));
        if (text.size() > max_config_file_bytes) {
            ::close(fd);
            throw ConfigError("config file " + path + " is larger than " +
                              std::to_string(max_config_file_bytes / (1024 * 1024)) +
                              " MiB; expected a JSON configuration of a few KiB");
        }
    }
    ::close(fd);
    return text;
}

} // namespace mafio
