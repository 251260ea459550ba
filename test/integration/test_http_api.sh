#!/usr/bin/env bash
# The monitoring API end to end, while records flow through the agent: every endpoint and every
# error case (400, 404, 405, 411, 413, 414, 431, 501, 505; a flood of unreadable requests logs a
# bounded number of escaped lines), then 200 concurrent clients while 50 half-open
# (slowloris) connections are held. The endpoints must keep answering and the record stream must
# come out complete and intact. The client side is http_api_client.py (standard library only).
. "$(dirname "$0")/lib.sh"

CLIENT="$(dirname "$0")/http_api_client.py"
command -v python3 >/dev/null || fail "python3 is needed (packaging/install-deps.sh installs it)"

PORT="$(free_port)"
BASE="http://127.0.0.1:$PORT"

seq 1 300000 >"$TMP/input"
mkfifo "$TMP/in.fifo"

"$MAFIO" -agent-id httptest -agent-group httpgrp -http-address "127.0.0.1:$PORT" \
    -plugins-dir "$MAFIO_PLUGINS" -data-dir "$TMP/data" <"$TMP/in.fifo" >"$TMP/out" 2>"$ERR" &
AGENT=$!
BG_PIDS+=("$AGENT")

# Feeds the input slowly (about 10k lines/s) until the API checks are done, then the rest at
# once; closing the FIFO ends the agent's input.
python3 - "$TMP/input" "$TMP/in.fifo" "$TMP/api.done" <<'PY' &
import os, sys, time
lines = open(sys.argv[1], "rb").read().splitlines(keepends=True)
with open(sys.argv[2], "wb", buffering=0) as out:
    i = 0
    while i < len(lines):
        done = os.path.exists(sys.argv[3])
        if not done and i + 200 >= len(lines):
            time.sleep(0.05)  # keep the last lines back while the API is being exercised
            continue
        out.write(b"".join(lines[i:i + 200]))
        i += 200
        if not done:
            time.sleep(0.02)
PY
BG_PIDS+=("$!")

api_up() { curl -s -o /dev/null "$BASE/health"; }
wait_until "the API answers on $BASE" api_up
grep -q "HTTP API listening on 127.0.0.1:$PORT" "$ERR" || fail "no 'HTTP API listening' line"

check "records are flowing while the API is exercised"
python3 "$CLIENT" endpoints "$BASE" || fail "endpoint checks failed"
python3 "$CLIENT" load "$BASE" 200 5 50 | tee "$TMP/load.txt" || fail "load checks failed"
grep -q "1000/1000 requests answered 200" "$TMP/load.txt" || fail "not every request was answered"

# The field test of 0.3 got one log line per malformed request (2,000 requests, 2,001 lines),
# with the client's control bytes written raw.
check "2000 unreadable requests log a bounded number of lines"
python3 "$CLIENT" flood "$BASE" 2000 "/%zz-flood" || fail "flood checks failed"
lines="$(grep -c 'zz-flood' "$ERR")"
# One line per 10 s of flooding: 20 would need 200 s for 2000 requests that take a few.
[ "$lines" -ge 1 ] && [ "$lines" -le 20 ] ||
    fail "expected 1 to 20 log lines about the flood, got $lines"
check "no control byte from a client reached the log"
! LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$ERR" ||
    fail "a raw control byte in the log: $(LC_ALL=C grep -n $'[\x01-\x08\x0b-\x1f\x7f]' "$ERR" | head -n 3 | cat -v)"
! grep -q 'error forged' "$ERR" || fail "a client forged a log line"

# The same error cases through curl, as an operator would meet them.
check "curl: 404 and 405 carry JSON bodies"
[ "$(curl -s -o "$TMP/body" -w '%{http_code}' "$BASE/missing")" = 404 ] || fail "expected 404"
grep -q '"status":404' "$TMP/body" || fail "404 body: $(cat "$TMP/body")"
[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$BASE/metrics")" = 405 ] || fail "expected 405"
[ "$(curl -s -o /dev/null -w '%{http_code}' -d cmd=gc "$BASE/debug")" = 200 ] || fail "POST -d cmd=gc"
head -c 100000 /dev/zero | tr '\0' x >"$TMP/big"
[ "$(curl -s -o /dev/null -w '%{http_code}' --data-binary @"$TMP/big" "$BASE/debug?cmd=gc")" = 413 ] ||
    fail "expected 413 for a 100 KB body"

check "input still flowing: the agent has not finished before the checks ended"
kill -0 "$AGENT" 2>/dev/null || fail "the agent ended before the API checks were done"
touch "$TMP/api.done"

wait_exit "$AGENT"
[ "$RC" -eq 0 ] || fail "the agent exited with $(_describe_rc "$RC")"
expect_same_file "$TMP/input" "$TMP/out" "the record stream"
check "no error was logged"
! awk '{ print $2 }' "$ERR" | grep -qixE 'error|fatal' || fail "an error was logged"
pass
