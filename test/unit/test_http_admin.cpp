// The admin rule of the HTTP API: who is on loopback, what a token file must hold, and which
// answers a request gets without the right credentials.
#include "http/admin_access.hpp"
#include "http/admin_token.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include "response_header.hpp"

#include <Poco/Net/IPAddress.h>

#include <sys/stat.h>

#include <vector>

using namespace mafio;
using Poco::Net::IPAddress;

using mafio::test::header;

namespace {

const std::string token = "c2VjcmV0LXRva2VuLWZvci10ZXN0cw==";

HttpRequest post(bool loopback, std::string authorization = "") {
    HttpRequest r;
    r.method = "POST";
    r.path = "/debug";
    r.from_loopback = loopback;
    r.authorization = std::move(authorization);
    return r;
}

} // namespace

TEST_CASE("loopback peers: 127.0.0.0/8, ::1 and 127.x mapped into IPv6", "[http]") {
    for (const char *a : {"127.0.0.1", "127.255.3.4", "::1", "::ffff:127.0.0.1"})
        CHECK(is_loopback_peer(IPAddress(a)));
    for (const char *a : {"10.0.0.1", "128.0.0.1", "0.0.0.0", "::", "::2", "::ffff:10.0.0.1",
                          "fe80::1", "::127.0.0.1", "192.168.1.127"})
        CHECK_FALSE(is_loopback_peer(IPAddress(a)));
}

TEST_CASE("admin rule: without a token file, loopback only, 403 saying how", "[http]") {
    AdminAccess none;
    CHECK_FALSE(none.refusal(post(true)).has_value());
    auto refused = none.refusal(post(false, "Bearer " + token));
    REQUIRE(refused.has_value());
    CHECK(refused->status == 403);
    CHECK(refused->body.find("\"authorize\"") != std::string::npos);
    CHECK(refused->body.find("http.admin_token_file") != std::string::npos);
    HttpRequest get = post(false);
    get.method = "GET";
    CHECK_FALSE(none.refusal(get).has_value());
    get.method = "HEAD";
    CHECK_FALSE(none.refusal(get).has_value());
    get.method = "DELETE";
    CHECK(none.refusal(get).has_value());
}

TEST_CASE("admin rule: with a token, the bearer is let in from anywhere", "[http]") {
    AdminAccess admin(token);
    CHECK_FALSE(admin.refusal(post(false, "Bearer " + token)).has_value());
    CHECK_FALSE(admin.refusal(post(false, "bearer  " + token + " ")).has_value());
    // With a token file, loopback needs the token too (a proxy or another user on the host).
    REQUIRE(admin.refusal(post(true)).has_value());
    CHECK(admin.refusal(post(true))->status == 401);
    CHECK_FALSE(admin.refusal(post(true, "Bearer " + token)).has_value());

    auto missing = admin.refusal(post(false));
    REQUIRE(missing.has_value());
    CHECK(missing->status == 401);
    CHECK(header(*missing, "WWW-Authenticate") == R"(Bearer realm="mafio")");
    for (const std::string &wrong : std::vector<std::string>{
             "Bearer " + token.substr(1), "Bearer " + token + "x", "Basic " + token, token,
             "Bearer", "Bearer " + token.substr(0, token.size() - 1) + "x"}) {
        INFO(wrong);
        auto r = admin.refusal(post(false, wrong));
        REQUIRE(r.has_value());
        CHECK(r->status == 401);
        CHECK(header(*r, "WWW-Authenticate").find("invalid_token") != std::string::npos);
        // The answer never shows the token, given or expected.
        CHECK(r->body.find(token.substr(0, 12)) == std::string::npos);
    }
}

TEST_CASE("token file: one token of 16 to 1024 characters, content never shown", "[http]") {
    test::TempDir dir;
    CHECK(read_admin_token(dir.write("ok", token + "\n")) == token);
    CHECK(read_admin_token(dir.write("crlf", "  " + token + "\r\n\r\n")) == token);
    CHECK_FALSE(check_admin_token_file(dir.write("hex", std::string(64, 'a'))).has_value());
    CHECK_FALSE(check_admin_token_file("").has_value()); // no token file

    auto why = [&](const std::string &name, const std::string &content) {
        auto w = check_admin_token_file(dir.write(name, content));
        REQUIRE(w.has_value());
        CHECK(w->find(name) != std::string::npos); // names the file
        return *w;
    };
    CHECK(why("empty", "\n").find("empty") != std::string::npos);
    CHECK(why("short", "tooshort").find("16 to 1024") != std::string::npos);
    CHECK(why("long", std::string(1025, 'a')).find("16 to 1024") != std::string::npos);
    std::string two = why("two", "first-secret-token second-secret-token\n");
    CHECK(two.find("one token") != std::string::npos);
    CHECK(two.find("first-secret") == std::string::npos);
    CHECK(why("ctl", "abc\x1b[2Jdefghijklmnopq").find("\x1b") == std::string::npos);

    auto missing = check_admin_token_file((dir.path() / "nope").string());
    REQUIRE(missing.has_value());
    CHECK(missing->find("cannot read") != std::string::npos);
    auto directory = check_admin_token_file(dir.path().string());
    REQUIRE(directory.has_value());
    CHECK(directory->find("not a regular file") != std::string::npos);
    std::string fifo = (dir.path() / "fifo").string();
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    CHECK(check_admin_token_file(fifo).has_value()); // refused without blocking in open()
    CHECK_THROWS_WITH(read_admin_token(fifo), Catch::Contains("not a regular file"));
}
