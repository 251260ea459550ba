#!/usr/bin/env bash
# Backpressure over UDP is never silent. A slow output (the slow-V1 fixture, small channels)
# beside stdout:V1 (whose file the test reads) makes emit() block, so syslog:V1 stops reading; a flood of datagrams into a small receive
# buffer then overflows the socket's queue and the kernel drops some. Every datagram sent is
# accounted for: delivered as a record or counted in dropped_receive_queue (from the socket's
# SO_RXQ_OVFL drop counter), exactly; the streak is warned about once, and its end logged.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/syslog_lib.sh"

make_plugins_dir slow-V1
PORT="$(free_port)"
HTTP="$(free_port)"
S="$TMP/stdout.out"
"$MAFIO" -plugins-dir "$PLUGDIR" -http-address "127.0.0.1:$HTTP" -data-dir "$TMP/data" \
    -max-read-channel-size=64 -max-write-channel-size=64 -filter= \
    -f '{"inputs":[{"plugin":"syslog:V1","listen":"udp://127.0.0.1:'"$PORT"'","receive_buffer":4096}],
         "outputs":[{"plugin":"stdout:V1"},{"plugin":"slow:V1","path":"'"$TMP/slow.out"'","delay_ms":5}]}' \
    >"$S" 2>"$ERR" &
AGENT=$!
BG_PIDS+=("$AGENT")
wait_until "the agent listens" grep -q "listening on" "$ERR"

FLOOD=20000
check "a flood of $FLOOD datagrams, then markers until one arrives"
python3 - "$PORT" "$S" "$FLOOD" "$MAFIO_TEST_TIMEOUT" >"$TMP/sent" <<'EOF' || fail "the sender failed"
import socket, sys, time
port, out, flood, bound = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for n in range(flood):
    u.sendto(b"<13>1 - h flood - - - n%d" % n, ("127.0.0.1", port))
# A marker that arrives carries the socket's drop count, which then includes every flood
# datagram and every earlier marker that was dropped.
deadline, k = time.time() + bound, 0
while time.time() < deadline:
    k += 1
    u.sendto(b"<13>1 - h marker - - - m%d" % k, ("127.0.0.1", port))
    for _ in range(40):
        time.sleep(0.05)
        if b"marker" in open(out, "rb").read():
            print(flood + k); sys.exit(0)
sys.exit("no marker arrived")
EOF
SENT="$(cat "$TMP/sent")"
DELIVERED=$(wc -l <"$S")
DROPPED=$(metric dropped_receive_queue)
log "sent $SENT, delivered $DELIVERED, dropped (counted) $DROPPED"
check "delivered + counted drops = sent"
[ $((DELIVERED + DROPPED)) -eq "$SENT" ] || fail "delivered $DELIVERED + dropped $DROPPED != sent $SENT"
[ "$DROPPED" -gt 0 ] || fail "no drops: the test did not overflow the socket's queue"
check "the drops are also reported by reason"
# (Captured first: grep -q leaving early would fail curl with SIGPIPE under pipefail.)
METRICS="$(curl -s "http://127.0.0.1:$HTTP/metrics")"
grep -q 'mafio_records_dropped_by_reason_total{.*syslog.*reason="receive_queue"} '"$DROPPED"'$' <<<"$METRICS" ||
    fail "mafio_records_dropped_by_reason_total{reason=\"receive_queue\"} is not $DROPPED"
check "one warning for the streak, and its end once datagrams arrive without drops for a while"
python3 - "$PORT" "$ERR" "$MAFIO_TEST_TIMEOUT" <<'PY' || fail "the end of the streak was not logged"
import socket, sys, time
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
deadline = time.time() + float(sys.argv[3])
while b"no longer dropped" not in open(sys.argv[2], "rb").read():
    if time.time() > deadline: sys.exit(1)
    u.sendto(b"<13>1 - h after - - - x", ("127.0.0.1", int(sys.argv[1])))
    time.sleep(0.2)
PY
n=$(grep -c "the kernel dropped .* datagram(s)" "$ERR")
[ "$n" -eq 1 ] || fail "expected 1 drop warning, got $n"
expect_stderr_contains "datagrams no longer dropped; $DROPPED were lost in that streak"
stop_agent
pass
