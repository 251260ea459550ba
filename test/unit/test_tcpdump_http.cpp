// tcpdump:V1's HTTP/1.x parsing and request/response matching on crafted streams: split
// anywhere (inside the request line too), pipelined, Content-Length and chunked bodies,
// HTTP/1.0 responses ending at close, HEAD/204/304/1xx, upgrades, gaps, heads too large, and
// garbage before, between and instead of messages.
#include "../../plugins/tcpdump/V1/http_session.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace tcpdump_v1;

namespace {

struct Records final : RecordSink {
    std::vector<HttpRecord> http_records;
    void http(HttpRecord &&r) override { http_records.push_back(std::move(r)); }
    void tcp(TcpRecord &&) override {}
};

struct Conversation {
    Endpoints ep;
    std::string type = "http";
    Records out;
    SessionCounters c;
    HttpSession s;
    int64_t now = 1000000000;
    explicit Conversation(size_t max_head = 4096, size_t max_pending = 64)
        : s(ep, type, max_head, max_pending, out, c) {}
    void client(const std::string &b) { feed(s.client_stream(), b); }
    void server(const std::string &b) { feed(s.server_stream(), b); }
    // Byte by byte: every split point at once.
    void client_bytewise(const std::string &b) {
        for (char ch : b)
            feed(s.client_stream(), std::string(1, ch));
    }
    void feed(StreamSink &sink, const std::string &b) {
        now += 1000000; // 1 ms per piece
        sink.on_data(reinterpret_cast<const uint8_t *>(b.data()), b.size(), now);
    }
    void end() { s.finish(now); }
    const std::vector<HttpRecord> &recs() const { return out.http_records; }
};

const std::string get_a = "GET /a?x=1 HTTP/1.1\r\nHost: example.org\r\nUser-Agent: t\r\n\r\n";
const std::string ok_5 = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";

} // namespace

TEST_CASE("tcpdump http: start lines") {
    CHECK(is_request_line("GET / HTTP/1.1\r\n"));
    CHECK(is_request_line("M-SEARCH * HTTP/1.1"));
    CHECK(is_request_line("OPTIONS * HTTP/1.0\n"));
    CHECK_FALSE(is_request_line("get / HTTP/1.1"));
    CHECK_FALSE(is_request_line("GET / HTTP/2.0"));
    CHECK_FALSE(is_request_line("GET HTTP/1.1"));
    CHECK_FALSE(is_request_line("GET /a b HTTP/1.1"));
    CHECK_FALSE(is_request_line(""));
    CHECK(is_status_line("HTTP/1.1 200 OK\r\n"));
    CHECK(is_status_line("HTTP/1.0 404"));
    CHECK_FALSE(is_status_line("HTTP/1.1 20 OK"));
    CHECK_FALSE(is_status_line("HTTP/1.1 200OK"));
}

TEST_CASE("tcpdump http: one request and its response") {
    Conversation t;
    t.client(get_a);
    CHECK(t.recs().empty()); // waits for the response
    t.server(ok_5);
    REQUIRE(t.recs().size() == 1);
    const HttpRecord &r = t.recs()[0];
    CHECK(r.method == "GET");
    CHECK(r.url == "/a?x=1");
    CHECK(r.host == "example.org");
    CHECK(r.status == 200);
    CHECK(r.latency_ms == Approx(1.0));
    CHECK(r.req_bytes == get_a.size());
    CHECK(r.resp_bytes == ok_5.size());
    CHECK(r.type == "http");
}

TEST_CASE("tcpdump http: a request split at every byte, the request line included") {
    Conversation t;
    t.client_bytewise(get_a);
    t.client_bytewise("POST /p HTTP/1.1\r\nContent-Length: 4\r\n\r\nbody");
    t.server(ok_5 + ok_5);
    REQUIRE(t.recs().size() == 2);
    CHECK(t.recs()[0].url == "/a?x=1");
    CHECK(t.recs()[1].method == "POST");
    CHECK(t.recs()[1].req_bytes == 43);
}

TEST_CASE("tcpdump http: pipelined requests in one segment match responses in order") {
    Conversation t;
    t.client("GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\n"
             "POST /3 HTTP/1.1\r\nContent-Length: 3\r\n\r\nxyzHEAD /4 HTTP/1.1\r\n\r\n");
    t.server("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 404 Not Found\r\n"
             "Content-Length: 0\r\n\r\n");
    REQUIRE(t.recs().size() == 2);
    t.server("HTTP/1.1 201 Created\r\nContent-Length: 1\r\n\r\n!"
             "HTTP/1.1 200 OK\r\nContent-Length: 999\r\n\r\n"); // HEAD: no body follows
    REQUIRE(t.recs().size() == 4);
    CHECK(t.recs()[0].url == "/1");
    CHECK(t.recs()[0].status == 200);
    CHECK(t.recs()[1].url == "/2");
    CHECK(t.recs()[1].status == 404);
    CHECK(t.recs()[2].url == "/3");
    CHECK(t.recs()[2].status == 201);
    CHECK(t.recs()[3].method == "HEAD");
    CHECK(t.recs()[3].status == 200);
}

TEST_CASE("tcpdump http: chunked bodies, with extensions and trailers, split anywhere") {
    Conversation t;
    const std::string req = "POST /up HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                            "5;ext=1\r\nhello\r\nA\r\n0123456789\r\n0\r\nX-Sum: 1\r\n\r\n";
    t.client_bytewise(req);
    t.client("GET /next HTTP/1.1\r\n\r\n");
    const std::string resp = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                             "3\r\nabc\r\n0\r\n\r\n";
    t.server(resp.substr(0, 50));
    t.server(resp.substr(50));
    t.server(ok_5);
    REQUIRE(t.recs().size() == 2);
    CHECK(t.recs()[0].req_bytes == req.size());
    CHECK(t.recs()[0].resp_bytes == resp.size());
    CHECK(t.recs()[1].url == "/next");
}

TEST_CASE("tcpdump http: an HTTP/1.0 response without Content-Length ends at close") {
    Conversation t;
    t.client("GET /old HTTP/1.0\r\n\r\n");
    t.server("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it");
    t.server(" and more");
    CHECK(t.recs().empty());
    t.end();
    REQUIRE(t.recs().size() == 1);
    CHECK(t.recs()[0].status == 200);
    CHECK(t.recs()[0].resp_bytes == 63);
}

TEST_CASE("tcpdump http: 1xx responses are skipped, 204 and 304 have no body") {
    Conversation t;
    t.client("PUT /x HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
    t.server("HTTP/1.1 100 Continue\r\n\r\n");
    t.client("okGET /y HTTP/1.1\r\n\r\nGET /z HTTP/1.1\r\n\r\n");
    t.server("HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\n\r\n" + ok_5);
    REQUIRE(t.recs().size() == 3);
    CHECK(t.recs()[0].status == 204);
    CHECK(t.recs()[1].status == 304);
    CHECK(t.recs()[2].status == 200);
}

TEST_CASE("tcpdump http: requests without responses are emitted at the end, without status") {
    Conversation t;
    t.client(get_a);
    t.client("GET /b HTTP/1.1\r\n\r\n");
    t.server("HTTP/1.1 500 Oops\r\nContent-Length: 10\r\n\r\npart"); // cut
    t.end();
    REQUIRE(t.recs().size() == 2);
    CHECK(t.recs()[0].status == 500);
    CHECK(t.recs()[1].status == 0);
    CHECK(t.recs()[1].latency_ms < 0);
}

TEST_CASE("tcpdump http: a response to no request is counted, not matched") {
    Conversation t;
    t.server(ok_5);
    t.client(get_a);
    t.server(ok_5);
    REQUIRE(t.recs().size() == 1);
    CHECK(t.c.unmatched_responses == 1);
}

TEST_CASE("tcpdump http: garbage before, between and after requests") {
    Conversation t;
    t.client("\x16\x03\x01 binary junk\r\nmore junk without a line end ");
    t.client("still junk\r\n" + get_a);
    t.client("\r\n\r\n"); // stray line ends between messages are tolerated
    t.client("NOT A REQUEST\r\nGET /after HTTP/1.1\r\n\r\n");
    t.server(ok_5 + "garbage\r\n" + ok_5);
    REQUIRE(t.recs().size() == 2);
    CHECK(t.recs()[0].url == "/a?x=1");
    CHECK(t.recs()[1].url == "/after");
    CHECK(t.c.parser.resyncs >= 2);
}

TEST_CASE("tcpdump http: pure garbage produces nothing and keeps memory bounded") {
    Conversation t(256);
    std::string junk;
    for (int i = 0; i < 5000; ++i)
        junk += static_cast<char>('a' + i % 26);
    t.client(junk);
    t.client(junk + "\n" + junk);
    t.server(junk);
    t.end();
    CHECK(t.recs().empty());
}

TEST_CASE("tcpdump http: a gap inside a body keeps the framing; in a head it resyncs") {
    Conversation t;
    t.client("POST /big HTTP/1.1\r\nContent-Length: 100\r\n\r\n0123456789");
    t.s.client_stream().on_gap(80, t.now);
    t.client("0123456789GET /then HTTP/1.1\r\n\r\n");
    t.server(ok_5 + ok_5);
    REQUIRE(t.recs().size() == 2);
    CHECK(t.recs()[0].req_bytes == 143);
    CHECK(t.recs()[1].url == "/then");

    Conversation u;
    u.client("GET /lost HTTP/1.1\r\nHo");
    u.s.client_stream().on_gap(30, u.now);
    u.client("st: x\r\n\r\nGET /found HTTP/1.1\r\n\r\n");
    u.server(ok_5);
    u.end();
    REQUIRE(u.recs().size() == 1);
    CHECK(u.recs()[0].url == "/found");
    CHECK(u.c.parser.heads_lost == 1);
}

TEST_CASE("tcpdump http: a head longer than max_request_head_bytes is reported, then resynced") {
    Conversation t(128);
    t.client("GET /long HTTP/1.1\r\nHost: h\r\nX-Pad: " + std::string(300, 'p') +
             "\r\n\r\nGET /short HTTP/1.1\r\n\r\n");
    t.server(ok_5 + ok_5);
    REQUIRE(t.recs().size() == 2);
    CHECK(t.recs()[0].url == "/long");
    CHECK(t.recs()[0].host == "h");
    CHECK(t.recs()[1].url == "/short");
    CHECK(t.c.parser.heads_too_large == 1);
}

TEST_CASE("tcpdump http: an upgrade or a CONNECT tunnel ends the parsing") {
    Conversation t;
    t.client("GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
    t.server("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x05hello");
    t.client("GET /not-http HTTP/1.1\r\n\r\n"); // websocket frames, whatever they look like
    t.end();
    REQUIRE(t.recs().size() == 1);
    CHECK(t.recs()[0].status == 101);

    Conversation c;
    c.client("CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n");
    c.server("HTTP/1.1 200 Connection established\r\n\r\n\x16\x03\x01tls");
    c.client("GET /inside-the-tunnel HTTP/1.1\r\n\r\n");
    c.end();
    REQUIRE(c.recs().size() == 1);
    CHECK(c.recs()[0].method == "CONNECT");
    CHECK(c.recs()[0].status == 200);
}

TEST_CASE("tcpdump http: at most max_pending requests wait for responses") {
    Conversation t(4096, 2);
    t.client("GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\nGET /3 HTTP/1.1\r\n\r\n");
    REQUIRE(t.recs().size() == 1);
    CHECK(t.recs()[0].url == "/1");
    CHECK(t.recs()[0].status == 0);
    CHECK(t.c.unanswered_evicted == 1);
}

TEST_CASE("tcpdump http: conflicting Content-Length makes the request's end unknown") {
    Conversation t;
    // The request is reported; what follows is looked through for the next request line.
    t.client("POST /x HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nab\r\n"
             "GET /y HTTP/1.1\r\n\r\n");
    t.server(ok_5 + ok_5);
    REQUIRE(t.recs().size() == 2);
    CHECK(t.recs()[1].url == "/y");
}
