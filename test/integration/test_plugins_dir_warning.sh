#!/usr/bin/env bash
# A plugins directory the operator named that is not there is said once at start and shown by
# /health as a warning while it holds (issue 16 item 5); the agent runs on with the others.
. "$(dirname "$0")/lib.sh"

PORT="$(free_port)"
open_idle_stdin
MAFIO_PLUGINS_DIR="$TMP/no-such-dir" "$MAFIO" -plugins-dir "$MAFIO_PLUGINS" -data-dir "$TMP/data" \
    -http-address "127.0.0.1:$PORT" -input stdin -filter= -output stdout \
    <"$IDLE_STDIN" >/dev/null 2>"$ERR" &
PID=$!
BG_PIDS+=("$PID")
wait_until "the API answers" curl -sf -o /dev/null "http://127.0.0.1:$PORT/health"
check "the start said so, once"
[ "$(grep -c "MAFIO_PLUGINS_DIR \"$TMP/no-such-dir\": no such directory" "$ERR")" = 1 ] ||
    fail "expected one warning line: $(cat "$ERR")"
check "/health shows it as a warning, still ok"
health=$(curl -s "http://127.0.0.1:$PORT/health")
grep -q '"status": "ok"' <<<"$health" || fail "/health: $health"
grep -q "MAFIO_PLUGINS_DIR .*no-such-dir.* is not a directory" <<<"$health" || fail "/health: $health"
check "once the directory exists, the warning is gone"
mkdir "$TMP/no-such-dir"
health=$(curl -s "http://127.0.0.1:$PORT/health")
! grep -q "is not a directory" <<<"$health" || fail "/health still warns: $health"
kill -TERM "$PID"
wait_exit "$PID"
[ "$RC" -eq 0 ] || fail "exit $(_describe_rc "$RC")"
pass
