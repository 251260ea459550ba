// The `listen` entries of syslog:V1 and the sockets they open.
//
//   udp://HOST:PORT      RFC 5426 syslog over UDP, one message per datagram
//   tcp://HOST:PORT      RFC 6587 syslog over TCP, octet-counted or newline framing
//   unix:///ABS/PATH     a Unix datagram socket, as /dev/log (one message per datagram)
//
// HOST is an IPv4 address, an IPv6 address in brackets ([::1]), or a name resolved once at
// start (its first address); 0.0.0.0 or [::] listen on every interface. PORT is 1..65535.
#pragma once

#include <cstdint>
#include <string>

namespace syslog_v1 {

enum class Transport { udp, tcp, unix_dgram };

struct ListenAddress {
    Transport transport = Transport::udp;
    std::string host; // udp, tcp
    uint16_t port = 0;
    std::string path; // unix
    std::string text; // as written, for messages
};

// Throws std::invalid_argument saying what is wrong and what would be accepted.
ListenAddress parse_listen_address(const std::string &text);

struct SocketOptions {
    uint64_t receive_buffer = 0; // SO_RCVBUF for datagram sockets; 0: the system default
    unsigned unix_mode = 0666;   // permissions of a Unix socket's file
};

// A bound, non-blocking socket (listening, for TCP). For UDP, the kernel's drop counter is
// switched on (SO_RXQ_OVFL). A Unix socket's stale file (a socket nobody serves) is replaced;
// any other file, or a socket in use, is refused. Throws std::runtime_error naming the address
// and the system's reason.
int open_listener(const ListenAddress &a, const SocketOptions &o);

} // namespace syslog_v1
