// mafio-rmqconsume: the counting consumer of the rabbitmq:V1 tests and bench. Drains a queue
// whose messages are numbered records ("<n> ..." with n from 1 to EXPECTED; with --bulk, the
// original's JSON arrays [{"Data":"<base64>"}] of such records) and reports, for the records
// 1..EXPECTED, how many arrived, how many are missing and how many came twice.
//
//   mafio-rmqconsume URL QUEUE EXPECTED [--bulk] [--bind EXCHANGE KEY] [--idle SECONDS]
//
// The queue is declared durable first (as rabbitmq:V1 declares it); --bind also binds it to
// EXCHANGE with KEY. It stops when every record has arrived and nothing more comes for a second,
// or when nothing comes for --idle seconds (default 30: a bound, not a measurement). Prints
// "received=R distinct=D missing=M duplicates=X bad=B" and exits 0 only when nothing is
// missing and nothing is malformed.
#include <amqp.h>
#include <amqp_tcp_socket.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

[[noreturn]] void die(const std::string &what) {
    std::fprintf(stderr, "mafio-rmqconsume: %s\n", what.c_str());
    std::exit(2);
}

void check(amqp_rpc_reply_t r, const char *step) {
    if (r.reply_type == AMQP_RESPONSE_NORMAL) return;
    if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION)
        die(std::string(step) + ": " + amqp_error_string2(r.library_error));
    die(std::string(step) + ": the broker refused (method " + std::to_string(r.reply.id) + ")");
}

struct Tally {
    std::vector<uint8_t> seen;
    uint64_t received = 0, distinct = 0, duplicates = 0, bad = 0;

    void record(std::string_view r) {
        ++received;
        uint64_t n = 0;
        size_t i = 0;
        while (i < r.size() && r[i] >= '0' && r[i] <= '9')
            n = n * 10 + static_cast<uint64_t>(r[i++] - '0');
        if (i == 0 || n == 0 || n >= seen.size()) {
            ++bad;
            return;
        }
        if (seen[n]++) {
            ++duplicates;
        } else {
            ++distinct;
        }
    }
};

int b64(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

// Decodes base64; false when it is not base64.
bool unbase64(std::string_view in, std::string &out) {
    out.clear();
    uint32_t acc = 0;
    int bits = 0;
    for (char c : in) {
        if (c == '=') break;
        const int v = b64(c);
        if (v < 0) return false;
        acc = acc << 6 | static_cast<uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((acc >> bits) & 0xff));
        }
    }
    return true;
}

void bulk(Tally &t, std::string_view body) {
    static constexpr std::string_view kField = "{\"Data\":\"";
    if (body.size() < 2 || body.front() != '[' || body.back() != ']') {
        ++t.bad;
        return;
    }
    std::string rec;
    size_t pos = 1;
    while (pos + 1 < body.size()) {
        if (body.compare(pos, kField.size(), kField) != 0) {
            ++t.bad;
            return;
        }
        pos += kField.size();
        const size_t end = body.find('"', pos);
        if (end == std::string_view::npos || !unbase64(body.substr(pos, end - pos), rec) ||
            body.compare(end, 2, "\"}") != 0) {
            ++t.bad;
            return;
        }
        t.record(rec);
        pos = end + 2;
        if (pos < body.size() && body[pos] == ',') ++pos;
    }
}

} // namespace

int main(int argc, char **argv) {
    if (argc < 4) die("usage: URL QUEUE EXPECTED [--bulk] [--bind EXCHANGE KEY] [--idle S]");
    std::string url = argv[1];
    const std::string queue = argv[2];
    const uint64_t expected = std::strtoull(argv[3], nullptr, 10);
    bool is_bulk = false;
    std::string bind_exchange, bind_key;
    double idle = 30;
    for (int i = 4; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--bulk") {
            is_bulk = true;
        } else if (a == "--bind" && i + 2 < argc) {
            bind_exchange = argv[++i];
            bind_key = argv[++i];
        } else if (a == "--idle" && i + 1 < argc) {
            idle = std::atof(argv[++i]);
        } else {
            die("unknown argument " + a);
        }
    }
    amqp_connection_info ci;
    std::vector<char> buf(url.begin(), url.end());
    buf.push_back('\0');
    if (amqp_parse_url(buf.data(), &ci) != AMQP_STATUS_OK) die("bad URL");
    amqp_connection_state_t conn = amqp_new_connection();
    amqp_socket_t *sock = amqp_tcp_socket_new(conn);
    if (amqp_socket_open(sock, ci.host, ci.port) != AMQP_STATUS_OK) die("cannot connect");
    const char *vhost = (ci.vhost && *ci.vhost) ? ci.vhost : "/";
    check(amqp_login(conn, vhost, 0, 131072, 0, AMQP_SASL_METHOD_PLAIN, ci.user, ci.password),
          "login");
    amqp_channel_open(conn, 1);
    check(amqp_get_rpc_reply(conn), "channel.open");
    amqp_queue_declare(conn, 1, amqp_cstring_bytes(queue.c_str()), 0, 1, 0, 0, amqp_empty_table);
    check(amqp_get_rpc_reply(conn), "queue.declare");
    if (!bind_exchange.empty()) {
        amqp_queue_bind(conn, 1, amqp_cstring_bytes(queue.c_str()),
                        amqp_cstring_bytes(bind_exchange.c_str()),
                        amqp_cstring_bytes(bind_key.c_str()), amqp_empty_table);
        check(amqp_get_rpc_reply(conn), "queue.bind");
        std::printf("bound\n");
        std::fflush(stdout);
    }
    amqp_basic_qos(conn, 1, 0, 5000, 0);
    check(amqp_get_rpc_reply(conn), "basic.qos");
    amqp_basic_consume(conn, 1, amqp_cstring_bytes(queue.c_str()), amqp_empty_bytes, 0, 0, 0,
                       amqp_empty_table);
    check(amqp_get_rpc_reply(conn), "basic.consume");

    Tally t;
    t.seen.assign(expected + 1, 0);
    uint64_t unacked = 0, last_tag = 0;
    for (;;) {
        // Once everything is here, a second of quiet is enough to see late duplicates.
        const double wait = t.distinct == expected ? 1.0 : idle;
        timeval tv{static_cast<time_t>(wait),
                   static_cast<suseconds_t>((wait - static_cast<long>(wait)) * 1e6)};
        amqp_maybe_release_buffers(conn);
        amqp_envelope_t env;
        const amqp_rpc_reply_t r = amqp_consume_message(conn, &env, &tv, 0);
        if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION &&
            r.library_error == AMQP_STATUS_TIMEOUT)
            break;
        check(r, "consume");
        const std::string_view body(static_cast<const char *>(env.message.body.bytes),
                                    env.message.body.len);
        if (is_bulk)
            bulk(t, body);
        else
            t.record(body);
        last_tag = env.delivery_tag;
        amqp_destroy_envelope(&env);
        // Acknowledged in groups (multiple), so that the queue empties as it is read.
        if (++unacked >= 1000) {
            amqp_basic_ack(conn, 1, last_tag, 1);
            unacked = 0;
        }
    }
    if (unacked) amqp_basic_ack(conn, 1, last_tag, 1);
    amqp_channel_close(conn, 1, AMQP_REPLY_SUCCESS);
    amqp_connection_close(conn, AMQP_REPLY_SUCCESS);
    amqp_destroy_connection(conn);

    const uint64_t missing = expected - t.distinct;
    std::printf(
        "received=%llu distinct=%llu missing=%llu duplicates=%llu bad=%llu\n",
        static_cast<unsigned long long>(t.received), static_cast<unsigned long long>(t.distinct),
        static_cast<unsigned long long>(missing), static_cast<unsigned long long>(t.duplicates),
        static_cast<unsigned long long>(t.bad));
    if (missing > 0) {
        std::printf("first missing:");
        int shown = 0;
        for (uint64_t n = 1; n <= expected && shown < 10; ++n)
            if (!t.seen[n]) {
                std::printf(" %llu", static_cast<unsigned long long>(n));
                ++shown;
            }
        std::printf("\n");
    }
    return missing == 0 && t.bad == 0 ? 0 : 1;
}
