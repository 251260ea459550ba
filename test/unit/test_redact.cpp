// The read-only API never shows secret option values.
#include "http/redact.hpp"

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
