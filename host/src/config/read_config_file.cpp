#include "config/read_config_file.hpp"

#include "config/load_config.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mafio {

namespace {

[[noreturn]] void cannot_read(const std::string &path, int err) {
    throw ConfigError("cannot read config file " + path + ": " + std::strerror(err));
}

// What a file that is not a regular file is, in the words of `ls -l`'s first letter.
const char *kind_of(mode_t mode) {
    if (S_ISFIFO(mode)) return "a FIFO or pipe";
    if (S_ISSOCK(mode)) return "a socket";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    return "not a regular file";
}

} // namespace

std::string read_config_file(const std::string &path) {
    if (path.empty())
        throw ConfigError("-config: needs the path of a JSON configuration file, got \"\"");
    // O_NONBLOCK: opening a FIFO without a writer would otherwise wait for one, with SIGINT and
    // SIGTERM blocked (main blocks them before anything), so nothing but SIGKILL ended the
    // wait. A regular file ignores the flag; anything else is refused below.
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) cannot_read(path, errno);
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        int err = errno;
        ::close(fd);
        cannot_read(path, err);
    }
    if (S_ISDIR(st.st_mode)) {
        ::close(fd);
        cannot_read(path, EISDIR);
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        throw ConfigError("cannot read config file " + path + ": it is " + kind_of(st.st_mode) +
                          "; expected a regular file (inline JSON can be given with -f)");
    }

    std::string text;
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int err = errno;
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
