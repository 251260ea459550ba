#!/usr/bin/env bash
# syslog:V1 against util-linux's logger over UDP, TCP (newline and octet-counted framing) and a
# Unix datagram socket, RFC 5424 and RFC 3164, in one input listening on all three: every
# message arrives as exactly the expected JSON record (the timestamp, which logger takes from
# the clock, must be present and within a day of now). Then malformed messages (no PRI, a broken
# RFC 5424 header, non-UTF-8, longer than max_message_bytes) are delivered and counted, never
# crash the agent; and in format raw the records are the messages as received.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/syslog_lib.sh"
command -v logger >/dev/null || fail "logger (util-linux, bsdutils) is needed"

PORT="$(free_port)"
SOCK="$TMP/log.sock"
J="$TMP/json.out"
start_syslog_agent "$J" "\"listen\":[\"udp://127.0.0.1:$PORT\",\"tcp://127.0.0.1:$PORT\",\"unix://$SOCK\"],\"format\":\"json\",\"max_message_bytes\":\"1KiB\""

check "the Unix socket exists with mode 0666"
[ -S "$SOCK" ] || fail "$SOCK is not a socket"
[ "$(stat -c %a "$SOCK")" = 666 ] || fail "$SOCK has mode $(stat -c %a "$SOCK")"

HOST="$(hostname)"
n=0
# send CMD...: runs one sender, then waits for its record, so records keep the senders' order.
send() {
    "$@" || fail "sender failed: $*"
    n=$((n + 1))
    wait_records "$J" "$n"
}
L=(logger --server 127.0.0.1 --port "$PORT")
send "${L[@]}" --udp --rfc5424=notq -p local3.warning -t app1 --id=42 --msgid M1 "hello udp 5424"
send "${L[@]}" --udp --rfc3164 -p user.info -t app2 "hello udp 3164"
send "${L[@]}" --tcp --rfc5424=notq -p daemon.err -t app3 --sd-id zoo@123 \
    --sd-param tiger=\"hungry\" --sd-param 'note="a \"quoted\" \]word"' "hello tcp 5424"
send "${L[@]}" --tcp --octet-count --rfc3164 -p mail.debug -t app4 --id=7 "hello tcp octet 3164"
send "${L[@]}" --tcp --octet-count --rfc5424=notq -p local7.crit -t app5 "multi word: message"
send logger --socket "$SOCK" -p auth.notice -t app6 --id=99 "hello unix"
send logger --socket "$SOCK" --rfc5424=notq -p local0.emerg -t app7 "hello unix 5424"

# Malformed, from a client of our own (logger only sends well-formed messages).
python3 - "$PORT" <<'EOF' || fail "the malformed-message sender failed"
import socket, sys
port = int(sys.argv[1])
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for m in [b"no pri at all", b"<13>1 2026-99-99T00:00:00Z h a - - - bad timestamp",
          b"<14>1 - h a - - - caf\xe9 latin-1", b"<13>1 - h a - - - " + b"x" * 2000]:
    u.sendto(m, ("127.0.0.1", port))
t = socket.create_connection(("127.0.0.1", port))
t.sendall(b"<13>1 - h a - - - " + b"y" * 3000 + b"\n<13>1 - h a - - - after the long one\n")
t.close()
EOF
n=$((n + 6))
wait_records "$J" "$n"

check "every record is the expected JSON object"
python3 - "$J" "$HOST" <<'EOF' || fail "records differ (above)"
import json, sys, time, calendar, re
path, host = sys.argv[1], sys.argv[2]
def rec(pri, fac, sev, proto, **kw):
    d = {"pri": pri, "facility": fac, "severity": sev, "protocol": proto}
    d.update(kw)
    return d
want = [
    rec(156, "local3", "warning", "rfc5424", host=host, app="app1", procid="42", msgid="M1", message="hello udp 5424"),
    rec(14, "user", "info", "rfc3164", host=host, app="app2", message="hello udp 3164"),
    rec(27, "daemon", "err", "rfc5424", host=host, app="app3",
        sd={"zoo@123": {"tiger": "hungry", "note": 'a "quoted" ]word'}}, message="hello tcp 5424"),
    rec(23, "mail", "debug", "rfc3164", host=host, app="app4", procid="7", message="hello tcp octet 3164"),
    rec(186, "local7", "crit", "rfc5424", host=host, app="app5", message="multi word: message"),
    rec(37, "auth", "notice", "rfc3164", app="app6", procid="99", message="hello unix"),
    rec(128, "local0", "emerg", "rfc5424", host=host, app="app7", message="hello unix 5424"),
    {"parse_error": "no PRI: a syslog message starts with <0> to <191>", "raw": "no pri at all"},
    {"pri": 13, "facility": "user", "severity": "notice",
     "parse_error": 'RFC 5424 TIMESTAMP is neither "-" nor an RFC 3339 date-time',
     "raw": "<13>1 2026-99-99T00:00:00Z h a - - - bad timestamp"},
    rec(14, "user", "info", "rfc5424", host="h", app="a", message="caf\ufffd latin-1",
        parse_error="not valid UTF-8: invalid bytes replaced by U+FFFD"),
    rec(13, "user", "notice", "rfc5424", host="h", app="a", message="x" * (1024 - 18), truncated=True),
    rec(13, "user", "notice", "rfc5424", host="h", app="a", message="y" * (1024 - 18), truncated=True),
    rec(13, "user", "notice", "rfc5424", host="h", app="a", message="after the long one"),
]
got = [json.loads(l) for l in open(path, encoding="utf-8")]
ok = len(got) == len(want)
now = time.time()
for i, (g, w) in enumerate(zip(got, want)):
    if "protocol" in w and "parse_error" not in w:
        ts = g.pop("timestamp", None)
        if i < 7:
            m = ts and re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)", ts)
            if not m or abs(calendar.timegm(time.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S")) - now) > 86400 * 2:
                print(f"record {i}: timestamp {ts!r} is not near now"); ok = False
    if g != w:
        print(f"record {i}:\n  got  {json.dumps(g)}\n  want {json.dumps(w)}"); ok = False
if len(got) != len(want):
    print(f"{len(got)} records, expected {len(want)}")
sys.exit(0 if ok else 1)
EOF

expect_metric messages "$n"
expect_metric malformed_messages 2
expect_metric invalid_utf8_messages 1
expect_metric truncated_messages 2
wait_metric connections 0
check "the first malformed message is logged with its reason"
expect_stderr_contains "malformed syslog message (no PRI" '"no pri at all"'
stop_agent
check "the Unix socket is removed at stop"
[ ! -e "$SOCK" ] || fail "$SOCK is still there after the agent stopped"

# format raw: the records are the messages as received, malformed ones included.
R="$TMP/raw.out"
PORT="$(free_port)"
start_syslog_agent "$R" "\"listen\":\"tcp://127.0.0.1:$PORT\""
printf '%s\n' '<13>1 - h a - - - one' 'no pri' '<13>Nov 30 10:00:00 h t: three' >"$TMP/raw.want"
python3 - "$PORT" "$TMP/raw.want" <<'EOF' || fail "the raw sender failed"
import socket, sys
t = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
t.sendall(open(sys.argv[2], "rb").read())
t.close()
EOF
wait_records "$R" 3
expect_same_file "$TMP/raw.want" "$R" "raw records"
expect_metric malformed_messages 1
stop_agent

pass
