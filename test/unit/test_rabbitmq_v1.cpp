// rabbitmq:V1's pure parts: broker URLs (parsing, redaction), option validation, the publisher
// confirm bookkeeping and the original's bulk framing; and that a URL's password never reaches
// a derived component id.
#include "../../plugins/rabbitmq/V1/bulk_framing.hpp"
#include "../../plugins/rabbitmq/V1/confirms.hpp"
#include "../../plugins/rabbitmq/V1/settings.hpp"
#include "config/topology.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace rabbitmq_v1;
using Catch::Contains;

namespace {

Settings settings(const std::string &json) {
    mafio::Options opts(json.c_str(), "outputs[0]");
    Settings s = read_settings(opts);
    opts.reject_unknown();
    return s;
}

std::string settings_error(const std::string &json) {
    try {
        settings(json);
    } catch (const mafio::Error &e) {
        return e.what();
    }
    return "(accepted)";
}

} // namespace

TEST_CASE("rabbitmq URLs: user, password, host, port and vhost", "[rabbitmq]") {
    BrokerUrl u = parse_url("amqp://mafio:p%40ss@broker.example:5673/prod");
    CHECK_FALSE(u.tls);
    CHECK(u.user == "mafio");
    CHECK(u.password == "p@ss");
    CHECK(u.has_password);
    CHECK(u.host == "broker.example");
    CHECK(u.port == 5673);
    CHECK(u.vhost == "prod");

    u = parse_url("amqps://h");
    CHECK(u.tls);
    CHECK(u.port == 5671);
    CHECK(u.user == "guest");
    CHECK_FALSE(u.has_password);
    CHECK(u.vhost == "/");

    CHECK(parse_url("amqp://h/").vhost == "/");
    CHECK(parse_url("amqp://h/%2f").vhost == "/");
    CHECK(parse_url("amqp://h/%2Fa").vhost == "/a");
    CHECK(parse_url("amqp://").host == "localhost");
    u = parse_url("amqp://u@[::1]:5000/v");
    CHECK(u.host == "::1");
    CHECK(u.port == 5000);
    CHECK(u.user == "u");
    CHECK_FALSE(u.has_password);

    CHECK_THROWS_WITH(parse_url("http://h"), Contains("amqp:// or amqps://"));
    CHECK_THROWS_WITH(parse_url("amqp://h:0/"), Contains("port"));
    CHECK_THROWS_WITH(parse_url("amqp://h:99999/"), Contains("port"));
    CHECK_THROWS_WITH(parse_url("amqp://h:x/"), Contains("port"));
    CHECK_THROWS_WITH(parse_url("amqp://h:/"), Contains("empty port"));
    CHECK_THROWS_WITH(parse_url("amqp://h/a/b"), Contains("%2f"));
    CHECK_THROWS_WITH(parse_url("amqp://h/?heartbeat=5"), Contains("query"));
    CHECK_THROWS_WITH(parse_url("amqp://u:%zz@h/"), Contains("percent-encoding in the password"));
    CHECK_THROWS_WITH(parse_url("amqp://:pw@h/"), Contains("empty user"));
    CHECK_THROWS_WITH(parse_url("amqp://[::1/"), Contains("unclosed"));
}

TEST_CASE("rabbitmq URLs: the password is redacted, also in text that does not parse",
          "[rabbitmq]") {
    CHECK(redact("amqp://u:secret@h:1/v") == "amqp://u:***@h:1/v");
    CHECK(redact("amqp://u@h/") == "amqp://u@h/");
    CHECK(redact("amqp://h") == "amqp://h");
    CHECK(redact("a: amqp://u:s@h/, amqps://v:t@k") == "a: amqp://u:***@h/, amqps://v:***@k");
    CHECK(redact("amqp://u:p@ss@h/") == "amqp://u:***@h/"); // an unencoded @ in the password
    CHECK(redact("amqp://u:secret@h:port/") == "amqp://u:***@h:port/");
    CHECK(parse_url("amqp://u:pw@h/").redacted() == "amqp://u:***@h/");
    CHECK(split_urls(" amqp://a/ ,amqp://b/,, ") ==
          std::vector<std::string>{"amqp://a/", "amqp://b/"});
}

TEST_CASE("rabbitmq options: what is accepted", "[rabbitmq]") {
    Settings s = settings(R"({"urls": ["amqp://a/", "amqp://b/"], "queue": "q"})");
    REQUIRE(s.urls.size() == 2);
    CHECK(s.queue == "q");
    CHECK(routing_key_for(s, "tag") == "q");
    CHECK(s.persistent);
    CHECK(s.framing == Framing::record);
    CHECK(s.on_unroutable == Unroutable::drop);
    CHECK(s.heartbeat_s == 60);

    // The original's names: one comma-separated string, and rmq_key.
    s = settings(R"({"rmq_address": "amqp://a/,amqp://b/", "rmq_key": "logs",
                     "message": "bulk", "persistent": false})");
    CHECK(s.urls.size() == 2);
    CHECK(s.queue == "logs");
    CHECK(s.framing == Framing::bulk);
    CHECK_FALSE(s.persistent);

    s = settings(R"({"urls": "amqp://a/", "exchange": "x", "exchange_type": "topic",
                     "routing_key": "app.logs", "on_unroutable": "retry",
                     "connect_timeout": "2s", "confirm_timeout": 5, "heartbeat": 0})");
    CHECK(s.exchange == "x");
    CHECK(routing_key_for(s, "tag") == "app.logs");
    CHECK(s.on_unroutable == Unroutable::retry);
    CHECK(s.connect_timeout_s == 2);
    CHECK(s.confirm_timeout_s == 5);
    CHECK(s.heartbeat_s == 0);
    // A fanout exchange ignores routing keys: none is needed.
    CHECK(settings(R"({"urls": "amqp://a/", "exchange": "x", "exchange_type": "fanout"})")
              .routing_key.empty());
    // With exchange and no routing_key: the batch's tag.
    s = settings(R"({"urls": "amqp://a/", "exchange": "x"})");
    CHECK(routing_key_for(s, "web.access") == "web.access");
}

TEST_CASE("rabbitmq options: each refusal names the option and what would do", "[rabbitmq]") {
    CHECK_THAT(settings_error(R"({"queue": "q"})"), Contains("outputs[0].urls: required"));
    CHECK_THAT(settings_error(R"({"urls": [], "queue": "q"})"), Contains("urls: required"));
    CHECK_THAT(settings_error(R"({"urls": ["amqp://u:pw@h:x/"], "queue": "q"})"),
               Contains("outputs[0].urls[0]: \"amqp://u:***@h:x/\": the port"));
    CHECK_THAT(settings_error(R"({"urls": ["amqp://u:pw@h:x/"], "queue": "q"})"), !Contains("pw@"));
    CHECK_THAT(settings_error(R"({"urls": "amqp://a/", "rmq_address": "amqp://b/", "queue": "q"})"),
               Contains("rmq_address: the original's name for urls"));
    CHECK_THAT(settings_error(R"({"urls": "amqp://a/"})"), Contains("outputs[0].queue: required"));
    CHECK_THAT(settings_error(R"({"urls": "amqp://a/", "queue": "q", "exchange": "x"})"),
               Contains("not both"));
    CHECK_THAT(settings_error(R"({"urls": "amqp://a/", "queue": "q", "rmq_key": "q"})"),
               Contains("rmq_key"));
    CHECK_THAT(settings_error(R"({"urls": "amqp://a/", "queue": "q", "routing_key": "k"})"),
               Contains("outputs[0].routing_key: only with exchange"));
    CHECK_THAT(settings_error(R"({"urls": "amqp://a/", "exchange": "x", "routing_key": "k",
                                  "exchange_type": "fast"})"),
               Contains("expected one of \"direct\", \"fanout\", \"topic\", \"headers\""));
    CHECK_THAT(settings_error(R"({"urls": "amqp://a/", "queue": "q", "message": "lines"})"),
               Contains("outputs[0].message: expected one of \"record\", \"bulk\""));
    CHECK_THAT(settings_error(R"({"urls": "amqp://a/", "queue": "q", "on_unroutable": "x"})"),
               Contains("on_unroutable"));
    CHECK_THAT(settings_error(R"({"urls": "amqp://a/", "queue": "q", "connect_timeout": 0})"),
               Contains("connect_timeout: expected a duration above 0"));
    CHECK_THAT(settings_error(R"({"urls": "amqp://a/", "queue": "q", "heartbeat": -1})"),
               Contains("heartbeat: expected an integer from 0 to 3600"));
    CHECK_THAT(settings_error(R"({"urls": "amqp://a/", "queue": "q", "ca_file": "/etc/x"})"),
               Contains("no URL is amqps://"));
    CHECK_THAT(settings_error(R"({"urls": "amqps://a/", "queue": "q", "cert_file": "/x"})"),
               Contains("cert_file and key_file go together"));
    CHECK_THAT(settings_error(R"({"urls": "amqps://a/", "queue": "q", "ca_file": "/no/such"})"),
               Contains("outputs[0].ca_file: cannot read \"/no/such\""));
    CHECK_THAT(settings_error(R"({"urls": "amqp://a/", "queue": "q", "password_file": "/no/x"})"),
               Contains("outputs[0].password_file: cannot read"));
    CHECK_THAT(settings_error(R"({"urls": "amqp://a/", "queue": "q", "queue_name": "x"})"),
               Contains("unknown option"));
}

TEST_CASE("rabbitmq options: password_file fills URLs written without a password", "[rabbitmq]") {
    mafio::test::TempDir dir;
    const std::string pw = (dir.path() / "pw").string();
    std::ofstream(pw) << "s3cret\n";
    Settings s = settings(R"({"urls": ["amqp://u@a/", "amqp://b/"], "queue": "q",
                              "password_file": ")" +
                          pw + "\"}");
    CHECK(s.urls[0].password == "s3cret");
    CHECK(s.urls[1].password == "s3cret");
    const std::string err = settings_error(R"({"urls": ["amqp://u:inline@a/"], "queue": "q",
                                               "password_file": ")" +
                                           pw + "\"}");
    CHECK_THAT(err, Contains("has a password and password_file is set"));
    CHECK_THAT(err, !Contains("inline"));
    std::ofstream(pw, std::ios::trunc) << "\n";
    CHECK_THAT(
        settings_error(R"({"urls": "amqp://a/", "queue": "q", "password_file": ")" + pw + "\"}"),
        Contains("is empty"));
}

TEST_CASE("rabbitmq confirms: acks, nacks, multiple, and the done prefix", "[rabbitmq]") {
    Confirms c;
    c.begin(11); // tags 11..15
    for (int i = 0; i < 5; ++i)
        c.published();
    CHECK(c.unsettled() == 5);
    c.ack(12, false); // out of order: 12 before 11
    CHECK(c.done_prefix(true) == 0);
    c.ack(11, false);
    CHECK(c.done_prefix(true) == 2);
    c.ack(14, true); // settles 13 and 14
    CHECK(c.done_prefix(true) == 4);
    CHECK_FALSE(c.all_settled());
    c.ack(3, true);   // an earlier write's tag: ignored
    c.ack(99, false); // beyond what was published: ignored
    CHECK(c.unsettled() == 1);
    c.nack(15, false);
    CHECK(c.all_settled());
    CHECK(c.nacked() == 1);
    CHECK(c.done_prefix(true) == 4);

    c.begin(1);
    for (int i = 0; i < 4; ++i)
        c.published();
    c.nack(2, true); // 1 and 2 refused
    c.ack(4, true);  // 3 and 4 confirmed, but after refused ones
    CHECK(c.all_settled());
    CHECK(c.nacked() == 2);
    CHECK(c.done_prefix(true) == 0);

    c.begin(1);
    for (int i = 0; i < 3; ++i)
        c.published();
    c.returned(1);
    c.ack(3, true);
    CHECK(c.done_prefix(true) == 3);  // on_unroutable: drop
    CHECK(c.done_prefix(false) == 1); // on_unroutable: retry stops at the returned one
    CHECK(c.was_returned(1));
}

TEST_CASE("rabbitmq bulk: the original's JSON array of base64 records", "[rabbitmq]") {
    std::string out;
    append_base64(out, "");
    CHECK(out.empty());
    append_base64(out, "f");
    CHECK(out == "Zg==");
    out.clear();
    append_base64(out, "fo");
    CHECK(out == "Zm8=");
    out.clear();
    append_base64(out, "foobar");
    CHECK(out == "Zm9vYmFy");

    std::string arena = "hello\xff world";
    mafio_record recs[2] = {{0, 5, 0, 0}, {5, 7, 0, 0}};
    mafio_batch b{};
    b.count = 2;
    b.records = recs;
    b.arena = reinterpret_cast<uint8_t *>(arena.data());
    b.arena_size = arena.size();
    frame_bulk(out, b, 0, 2);
    CHECK(out == R"([{"Data":"aGVsbG8="},{"Data":"/yB3b3JsZA=="}])");
    frame_bulk(out, b, 1, 1);
    CHECK(out == R"([{"Data":"/yB3b3JsZA=="}])");
}

TEST_CASE("derived component ids never hold a URL's password", "[rabbitmq][topology]") {
    mafio::PluginSpec spec;
    spec.plugin = "rabbitmq:V1";
    spec.options_json = R"({"urls": ["amqp://mafio:S3cret@mq1:5672/", "amqp://m:x@mq2/"]})";
    const std::string id = mafio::derive_component_id(spec);
    CHECK(id == "rabbitmq-amqp_mq1_5672_amqp_mq2");
    CHECK_THAT(id, !Contains("s3cret"));
    spec.options_json = R"({"url": "https://user:tok@example.com/write"})";
    CHECK(mafio::derive_component_id(spec) == "rabbitmq-https_example_com_write");
}
