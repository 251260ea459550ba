#!/usr/bin/env bash
# A full disk: logr's writes fail with ENOSPC and the host retries them with backoff. The agent
# used to retry for minutes without one log line; now the first failure of a streak is logged
# once (not once per retry). /dev/full fails every write with ENOSPC. The retries are counted
# through /metrics, so the test waits for many of them, then checks the log holds one warning.
# (The "writing resumed" line needs a disk that empties; failure_streak.hpp's unit tests cover it.)
. "$(dirname "$0")/lib.sh"
[ -w /dev/full ] || fail "/dev/full is needed (a device whose writes fail with ENOSPC)"
command -v curl >/dev/null || fail "curl is needed (packaging/install-deps.sh installs it)"

PORT="$(free_port)"
seq 1 5 >"$TMP/in"
"$MAFIO" -http-address "127.0.0.1:$PORT" -data-dir "$TMP/data" -f '{"shutdown_grace":"1s",
    "outputs":[{"plugin":"logr","path":"/dev/full","retry_initial":"10ms","retry_max":"10ms"}]}' \
    <"$TMP/in" >/dev/null 2>"$ERR" &
AGENT=$!
BG_PIDS+=("$AGENT")

retries() {
    curl -s "http://127.0.0.1:$PORT/metrics" |
        awk '/^mafio_retries_total\{.*plugin="logr/ { n = $NF } END { print n + 0 }'
}
many_retries() { [ "$(retries)" -ge 30 ]; }
wait_until "logr has been retried at least 30 times" many_retries
log "retries so far: $(retries)"
kill -TERM "$AGENT"
wait_exit "$AGENT"
log "exit code $RC"

check "one warning for the whole streak, naming the file and the cause"
n=$(grep -c 'cannot write to "/dev/full" (No space left on device); retrying' "$ERR")
[ "$n" -eq 1 ] || fail "expected 1 warning for the failure streak, got $n"
expect_stderr_contains "records are kept until written"

pass
