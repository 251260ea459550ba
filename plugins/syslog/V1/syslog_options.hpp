// The options of syslog:V1, read and checked once in create(). The schema at the bottom is what
// `mafio -describe syslog:V1` shows.
#pragma once

#include "listen_address.hpp"

#include <mafio/options.hpp>

#include <stdexcept>
#include <string>
#include <vector>

namespace syslog_v1 {

inline constexpr uint64_t kDefaultMaxMessageBytes = 64 * 1024;

struct SyslogOptions {
    std::vector<ListenAddress> listen;
    bool json = false;
    uint64_t max_message_bytes = kDefaultMaxMessageBytes;
    size_t max_connections = 256;
    SocketOptions sockets;

    explicit SyslogOptions(mafio::Options &o) {
        const std::vector<std::string> entries = o.strings("listen");
        if (entries.empty())
            throw mafio::Error(o.where() + ".listen: required, expected an address such as "
                                           "\"udp://127.0.0.1:5514\", \"tcp://0.0.0.0:5514\" or "
                                           "\"unix:///run/mafio/log.sock\", or an array of them");
        for (size_t i = 0; i < entries.size(); ++i) {
            try {
                listen.push_back(parse_listen_address(entries[i]));
            } catch (const std::invalid_argument &e) {
                throw mafio::Error(o.where() + ".listen" +
                                   (entries.size() > 1 ? "[" + std::to_string(i) + "]" : "") +
                                   ": " + e.what());
            }
            for (size_t j = 0; j < i; ++j)
                if (same_endpoint(listen[j], listen[i]))
                    throw mafio::Error(o.where() + ".listen[" + std::to_string(i) + "]: \"" +
                                       entries[i] + "\" is listed twice");
        }
        json = o.choice("format", "raw", {"raw", "json"}) == "json";
        max_message_bytes = o.size("max_message_bytes", kDefaultMaxMessageBytes, 16, 16u << 20);
        max_connections = static_cast<size_t>(o.integer("max_connections", 256, 1, 65536));
        sockets.receive_buffer = o.size("receive_buffer", 0, 0, 1u << 30);
        const std::string mode = o.string("socket_mode", "0666");
        if (mode.empty() || mode.size() > 4 ||
            mode.find_first_not_of("01234567") != std::string::npos)
            throw mafio::Error(o.where() +
                               ".socket_mode: expected an octal mode such as \"0666\" "
                               "or \"0660\", got \"" +
                               mode + "\"");
        sockets.unix_mode = static_cast<unsigned>(std::stoul(mode, nullptr, 8));
    }

private:
    static bool same_endpoint(const ListenAddress &a, const ListenAddress &b) {
        return a.transport == b.transport && a.host == b.host && a.port == b.port &&
               a.path == b.path;
    }
};

// JSON Schema of the options (the descriptor's options_schema).
#define MAFIO_SYSLOG_V1_SCHEMA                                                                     \
    "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"listen\"],"               \
    "\"properties\":{"                                                                             \
    "\"listen\":{\"type\":[\"string\",\"array\"],\"items\":{\"type\":\"string\"},"                 \
    "\"description\":\"where to receive: udp://HOST:PORT (one message per datagram), "             \
    "tcp://HOST:PORT (RFC 6587 octet-counted or newline framing, detected per message) or "        \
    "unix:///ABS/PATH (a Unix datagram socket, as /dev/log); HOST is an address (0.0.0.0, "        \
    "127.0.0.1, [::1]) or a name; several entries listen on all of them\"},"                       \
    "\"format\":{\"enum\":[\"raw\",\"json\"],\"default\":\"raw\","                                 \
    "\"description\":\"raw: each record is the message as received (without framing); json: "      \
    "an object with pri, facility, severity, protocol, timestamp, host, app, procid, msgid, sd "   \
    "and message, or parse_error and raw for a message that could not be parsed\"},"               \
    "\"max_message_bytes\":{\"type\":[\"integer\",\"string\"],\"default\":\"64KiB\","              \
    "\"description\":\"longest message (a size, 16 bytes to 16MiB); a longer one is cut to this "  \
    "length, flagged truncated and counted in truncated_messages; its rest is skipped\"},"         \
    "\"max_connections\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":65536,\"default\":256,"   \
    "\"description\":\"most TCP connections at once, over all tcp:// entries; one more is "        \
    "accepted and closed at once, counted in connections_refused\"},"                              \
    "\"receive_buffer\":{\"type\":[\"integer\",\"string\"],"                                       \
    "\"description\":\"SO_RCVBUF of the UDP and Unix sockets (a size such as 8MiB; the kernel "    \
    "caps it at net.core.rmem_max); default: the system's. A larger queue rides out longer "       \
    "pipeline stalls before the kernel drops datagrams\"},"                                        \
    "\"socket_mode\":{\"type\":\"string\",\"default\":\"0666\","                                   \
    "\"description\":\"permissions of the file of a unix:// socket (0666: every local user can "   \
    "log, as with /dev/log)\"}"                                                                    \
    "}}"

} // namespace syslog_v1
