#!/usr/bin/env bash
# http:V1 at shutdown: a server that answers every request 503 with Retry-After: 3600 must not
# hold the agent for an hour. The output never sleeps on Retry-After itself (it refuses to send
# before the time named, and the host's backoff waits), so SIGTERM with a 1 s shutdown_grace
# ends the run: exit 3 (grace ran out, records not delivered), well within the test's bound,
# which is far below the hour asked for.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/http_lib.sh"

start_http_server busy --mode busy
seq 1 100 >"$TMP/input"
cat >"$TMP/config.json" <<EOF2
{"shutdown_grace": "1s", "inputs": [{"plugin": "stdin"}], "filters": [],
 "outputs": [{"plugin": "http:V1", "url": "http://127.0.0.1:$HTTP_PORT/", "format": "raw",
              "retry_after_max": "2h"}]}
EOF2
"$MAFIO" -config "$TMP/config.json" -plugins-dir "$MAFIO_PLUGINS" -data-dir "$TMP/data" \
    -http-address off <"$TMP/input" >"$TMP/agent.out" 2>"$TMP/agent.err" &
AGENT=$!
BG_PIDS+=("$AGENT")
wait_until "the server refused a request with Retry-After" grep -q "Retry-After 3600s" "$TMP/agent.err"
kill -TERM "$AGENT"
wait_exit "$AGENT"
check "exit 3: the grace period ran out with records undelivered"
[ "$RC" -eq 3 ] || fail "mafio exited with $(_describe_rc "$RC"): $(tail -n 5 "$TMP/agent.err")"
[ "$(stat_of s503)" -ge 1 ] || fail "the server saw no request"
pass
