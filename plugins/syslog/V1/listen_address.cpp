// Parsing `listen` entries and opening their sockets (listen_address.hpp).
#include "listen_address.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <netdb.h>
#include <netinet/in.h>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <utility>

namespace syslog_v1 {

namespace {

constexpr const char *kAccepted =
    "expected \"udp://HOST:PORT\", \"tcp://HOST:PORT\" (HOST an address such as 127.0.0.1, "
    "0.0.0.0 or [::1], or a name) or \"unix:///absolute/path\"";

[[noreturn]] void bad(const std::string &text, const std::string &why) {
    throw std::invalid_argument("\"" + text + "\": " + why + "; " + kAccepted);
}

[[noreturn]] void sys_fail(const ListenAddress &a, const std::string &what, int err) {
    throw std::runtime_error("listen \"" + a.text + "\": " + what + ": " + std::strerror(err));
}

// Closes the descriptor unless released (open_listener's error paths).
struct FdGuard {
    int fd;
    ~FdGuard() {
        if (fd >= 0) ::close(fd);
    }
    int release() { return std::exchange(fd, -1); }
};

int open_unix(const ListenAddress &a, const SocketOptions &o) {
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    std::memcpy(sa.sun_path, a.path.c_str(), a.path.size() + 1);
    FdGuard fd{::socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)};
    if (fd.fd < 0) sys_fail(a, "cannot create a socket", errno);
    struct stat st {};
    if (::lstat(a.path.c_str(), &st) == 0) {
        if (!S_ISSOCK(st.st_mode))
            throw std::runtime_error("listen \"" + a.text +
                                     "\": the path exists and is not a socket; not replaced");
        // A socket someone still reads from is theirs; one nobody serves is a leftover.
        FdGuard probe{::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)};
        if (probe.fd >= 0 && ::connect(probe.fd, reinterpret_cast<sockaddr *>(&sa), sizeof sa) == 0)
            throw std::runtime_error("listen \"" + a.text +
                                     "\": another process serves this socket");
        if (::unlink(a.path.c_str()) != 0) sys_fail(a, "cannot remove the stale socket", errno);
    }
    if (::bind(fd.fd, reinterpret_cast<sockaddr *>(&sa), sizeof sa) != 0)
        sys_fail(a, "cannot bind", errno);
    if (::chmod(a.path.c_str(), o.unix_mode) != 0) sys_fail(a, "cannot set its mode", errno);
    return fd.release();
}

} // namespace

ListenAddress parse_listen_address(const std::string &text) {
    ListenAddress a;
    a.text = text;
    const size_t scheme_end = text.find("://");
    if (scheme_end == std::string::npos) bad(text, "no scheme");
    const std::string scheme = text.substr(0, scheme_end);
    const std::string rest = text.substr(scheme_end + 3);
    if (scheme == "unix") {
        a.transport = Transport::unix_dgram;
        if (rest.empty() || rest[0] != '/') bad(text, "a Unix socket path must be absolute");
        if (rest.size() >= sizeof(sockaddr_un{}.sun_path))
            bad(text, "the path is longer than " +
                          std::to_string(sizeof(sockaddr_un{}.sun_path) - 1) + " bytes");
        if (rest.find('\0') != std::string::npos) bad(text, "the path holds a NUL byte");
        a.path = rest;
        return a;
    }
    if (scheme == "udp")
        a.transport = Transport::udp;
    else if (scheme == "tcp")
        a.transport = Transport::tcp;
    else
        bad(text, "unknown scheme \"" + scheme + "\"");
    size_t colon;
    if (!rest.empty() && rest[0] == '[') {
        const size_t close = rest.find(']');
        if (close == std::string::npos) bad(text, "no ']' after the IPv6 address");
        a.host = rest.substr(1, close - 1);
        colon = close + 1;
        if (colon >= rest.size() || rest[colon] != ':') bad(text, "no :PORT");
    } else {
        colon = rest.rfind(':');
        if (colon == std::string::npos) bad(text, "no :PORT");
        a.host = rest.substr(0, colon);
        if (a.host.find(':') != std::string::npos)
            bad(text, "an IPv6 address must be written in brackets");
    }
    if (a.host.empty()) bad(text, "no HOST");
    const std::string port = rest.substr(colon + 1);
    unsigned long p = 0;
    if (port.empty() || port.size() > 5 ||
        port.find_first_not_of("0123456789") != std::string::npos || (p = std::stoul(port)) < 1 ||
        p > 65535)
        bad(text, "PORT must be a number from 1 to 65535");
    a.port = static_cast<uint16_t>(p);
    return a;
}

int open_listener(const ListenAddress &a, const SocketOptions &o) {
    if (a.transport == Transport::unix_dgram) {
        const int fd = open_unix(a, o);
        if (o.receive_buffer > 0) {
            const int size = static_cast<int>(std::min<uint64_t>(o.receive_buffer, INT32_MAX));
            ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
        }
        return fd;
    }
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = a.transport == Transport::tcp ? SOCK_STREAM : SOCK_DGRAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo *res = nullptr;
    const std::string port = std::to_string(a.port);
    const int gai = ::getaddrinfo(a.host.c_str(), port.c_str(), &hints, &res);
    if (gai != 0 || !res)
        throw std::runtime_error("listen \"" + a.text + "\": cannot resolve \"" + a.host +
                                 "\": " + ::gai_strerror(gai));
    const addrinfo ai = *res;
    sockaddr_storage addr{};
    std::memcpy(&addr, res->ai_addr, res->ai_addrlen);
    ::freeaddrinfo(res);
    FdGuard fd{::socket(ai.ai_family, ai.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)};
    if (fd.fd < 0) sys_fail(a, "cannot create a socket", errno);
    const int one = 1;
    if (a.transport == Transport::tcp) {
        // A restarted agent binds again at once, despite connections of its previous run in
        // TIME_WAIT.
        ::setsockopt(fd.fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    } else {
        // Every datagram then carries the socket's count of datagrams the kernel dropped for
        // want of room in the receive queue: how drops are counted, never silent.
        ::setsockopt(fd.fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof one);
        if (o.receive_buffer > 0) {
            const int size = static_cast<int>(std::min<uint64_t>(o.receive_buffer, INT32_MAX));
            ::setsockopt(fd.fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
        }
    }
    if (::bind(fd.fd, reinterpret_cast<sockaddr *>(&addr), ai.ai_addrlen) != 0)
        sys_fail(a, "cannot bind", errno);
    if (a.transport == Transport::tcp && ::listen(fd.fd, SOMAXCONN) != 0)
        sys_fail(a, "cannot listen", errno);
    return fd.release();
}

} // namespace syslog_v1
