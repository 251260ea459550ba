// The HTTP API's routing (501/404/405, HEAD, the admin gate), its parameters (a name given
// twice is refused) and the log line of an unreadable request (escaped, rate-limited).
#include "http/bad_request_log.hpp"
#include "http/request_params.hpp"
#include "http/router.hpp"

#include <catch2/catch.hpp>

#include "response_header.hpp"

#include <Poco/Exception.h>

using namespace mafio;

using mafio::test::header;

namespace {

Router sample_router(AdminAccess admin = {}) {
    Router r(std::move(admin));
    auto ok = [](const HttpRequest &req) {
        HttpResponse resp;
        resp.body = req.method + " " + req.path;
        return resp;
    };
    r.add("/version", {"GET"}, ok);
    r.add("/debug", {"GET", "POST"}, ok);
    return r;
}

HttpRequest request(std::string method, std::string path, bool loopback = true) {
    HttpRequest r;
    r.method = std::move(method);
    r.path = std::move(path);
    r.from_loopback = loopback;
    return r;
}

} // namespace

// Field test of 0.3: "BREW /version" and "DELETE /nope" got 404.
TEST_CASE("router: 501 for a method no endpoint takes, 405 with Allow for a known one", "[http]") {
    Router r = sample_router();
    HttpResponse unknown = r.handle(request("BREW", "/version"));
    CHECK(unknown.status == 501);
    CHECK(unknown.body.find(R"("implemented":["GET","HEAD","POST"])") != std::string::npos);
    CHECK(r.handle(request("DELETE", "/nope")).status == 501);
    CHECK(r.handle(request("OPTIONS", "/debug")).status == 501);

    HttpResponse not_here = r.handle(request("POST", "/version"));
    CHECK(not_here.status == 405);
    CHECK(header(not_here, "Allow") == "GET, HEAD");
    CHECK(r.handle(request("GET", "/nope")).status == 404);
    CHECK(r.handle(request("POST", "/nope")).status == 404);
}

TEST_CASE("router: HEAD is answered as GET wherever GET is", "[http]") {
    Router r = sample_router();
    HttpResponse head = r.handle(request("HEAD", "/version"));
    CHECK(head.status == 200);
    CHECK(head.body == "GET /version"); // Poco leaves the body out on the wire
}

TEST_CASE("router: a mutating request passes the admin gate before its handler", "[http]") {
    Router open = sample_router();
    CHECK(open.handle(request("POST", "/debug", true)).status == 200);
    HttpResponse refused = open.handle(request("POST", "/debug", false));
    CHECK(refused.status == 403);
    CHECK(refused.body.find("admin_token_file") != std::string::npos);
    // Reading is for everyone.
    CHECK(open.handle(request("GET", "/debug", false)).status == 200);
    CHECK(open.handle(request("HEAD", "/debug", false)).status == 200);

    Router with_token = sample_router(AdminAccess("0123456789abcdef0123"));
    HttpRequest remote = request("POST", "/debug", false);
    remote.authorization = "Bearer 0123456789abcdef0123";
    CHECK(with_token.handle(remote).status == 200);
    remote.authorization = "Bearer 0123456789abcdef0124";
    CHECK(with_token.handle(remote).status == 401);
}

// Field test of 0.3: "?cmd=heap&cmd=gc" silently meant cmd=heap.
TEST_CASE("parameters: a name given twice is refused, naming it", "[http]") {
    std::map<std::string, std::string> p;
    CHECK_FALSE(add_parameters("cmd=gc&x=a%20b+c", p).has_value());
    CHECK(p == std::map<std::string, std::string>{{"cmd", "gc"}, {"x", "a b c"}});

    std::map<std::string, std::string> twice;
    CHECK(add_parameters("cmd=heap&cmd=gc", twice) == std::optional<std::string>("cmd"));
    CHECK(add_parameters("cmd=gc&cmd=gc", twice) == std::optional<std::string>("cmd"));
    CHECK(twice.empty());
    // In the query and again in a form body.
    std::map<std::string, std::string> both;
    REQUIRE_FALSE(add_parameters("cmd=gc", both).has_value());
    CHECK(add_parameters("a=1&cmd=heap", both) == std::optional<std::string>("cmd"));
    CHECK(both == std::map<std::string, std::string>{{"cmd", "gc"}});

    std::map<std::string, std::string> bad;
    CHECK_THROWS_AS(add_parameters("cmd=%zz", bad), Poco::SyntaxException);
}

// Field test of 0.3: control bytes from the client went raw into the log, one line per request.
TEST_CASE("bad request log: the client's bytes are escaped", "[http]") {
    std::string line = BadRequestLog::line("GET", "/%zz\x1b[2J\r\nfake line", "Bad URI\n", 0);
    for (char c : line)
        CHECK((static_cast<unsigned char>(c) >= 0x20 && c != 0x7F));
    CHECK(line.find("\"/%zz?[2J??fake line\"") != std::string::npos);
    std::string cut = BadRequestLog::line("GET", std::string(5000, 'a'), "x", 0);
    CHECK(cut.size() < 300);
    CHECK(BadRequestLog::line("GET", "/", "x", 41).find("41 more") != std::string::npos);
}

TEST_CASE("bad request log: one line per interval, however many requests", "[http]") {
    BadRequestLog log(std::chrono::seconds(10));
    auto t0 = BadRequestLog::Clock::time_point{} + std::chrono::hours(1);
    CHECK(log.note("GET", "/%zz", "bad", t0));
    int written = 0;
    for (int i = 1; i <= 2000; ++i)
        written += log.note("GET", "/%zz", "bad", t0 + std::chrono::milliseconds(i)) ? 1 : 0;
    CHECK(written == 0);
    CHECK(log.note("GET", "/%zz", "bad", t0 + std::chrono::seconds(10)));
    CHECK_FALSE(log.note("GET", "/%zz", "bad", t0 + std::chrono::seconds(11)));
}
