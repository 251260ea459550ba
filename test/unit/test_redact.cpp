// The read-only API never shows secret option values.
#include "util/redact.hpp"

#include <catch2/catch.hpp>

using namespace mafio;
using Catch::Contains;

TEST_CASE("secret option values are redacted by name, URL passwords by shape", "[http]") {
    const std::string out = redacted_options(
        R"({"path": "/var/log/a.log", "password": "hunter2", "api_key": "k1",
            "auth": {"Token": "t0k", "user": "bob"},
            "urls": ["amqp://guest:s3cret@mq1:5672/vhost", "amqp://mq2"],
            "max_size": 10})");
    CHECK_THAT(out, !Contains("hunter2"));
    CHECK_THAT(out, !Contains("k1"));
    CHECK_THAT(out, !Contains("t0k"));
    CHECK_THAT(out, !Contains("s3cret"));
    CHECK_THAT(out, Contains(R"("path":"/var/log/a.log")"));
    CHECK_THAT(out, Contains(R"("user":"bob")"));
    CHECK_THAT(out, Contains("amqp://guest:<redacted>@mq1:5672/vhost"));
    CHECK_THAT(out, Contains(R"("amqp://mq2")"));
    CHECK_THAT(out, Contains(R"("max_size":10)"));
    CHECK(redacted_options("not json") == "{}");
}

TEST_CASE("options the plugin's schema marks secret are redacted too", "[http]") {
    const char *schema = R"({"type": "object", "properties": {
        "dsn": {"type": "string", "secret": true},
        "cert_pem": {"type": "string", "writeOnly": true},
        "path": {"type": "string"}}})";
    const std::string out =
        redacted_options(R"({"dsn": "pg://x", "cert_pem": "-----BEGIN", "path": "/p"})", schema);
    CHECK_THAT(out, !Contains("pg://x"));
    CHECK_THAT(out, !Contains("BEGIN"));
    CHECK_THAT(out, Contains(R"("path":"/p")"));
}
