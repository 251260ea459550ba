#!/usr/bin/env bash
# mafio -check -diff (issue 10): with the data directory of a running agent, print what a
# reload of a new configuration would change and whether it would apply (exit 0) or be refused
# (exit 1); with no running agent's configuration there, say so (exit 1).
. "$(dirname "$0")/lib.sh"

LOG="$TMP/app.log"
: >"$LOG"
cfg() { # PLUGIN EXTRA_OUTPUT_MEMBERS
    printf '{"data_dir":%s,"inputs":[{"plugin":"%s","id":"app","path":"%s"}],"filters":[],"outputs":[{"plugin":"logr","id":"out","path":"%s"%s}]}\n' \
        "\"$TMP/data\"" "$1" "$LOG" "$TMP/out.log" "${2:-}"
}
cfg filereader:V2 >"$TMP/running.json"

check "with no agent ever run on the data directory, -diff says so and exits 1"
expect_exit 1 "$MAFIO" -check -diff -http-address off -config "$TMP/running.json"
expect_stdout_contains "no configuration of a running agent at $TMP/data/running-config.json"

PORT="$(free_port)"
"$MAFIO" -http-address "127.0.0.1:$PORT" -config "$TMP/running.json" >/dev/null 2>"$ERR" &
PID=$!
BG_PIDS+=("$PID")
wait_until "the agent wrote its running configuration" test -s "$TMP/data/running-config.json"
[ "$(stat -c %a "$TMP/data/running-config.json")" = 600 ] || fail "running-config.json is not 0600"

check "an unchanged config: no change, would apply, exit 0"
run "$MAFIO" -check -diff -http-address "127.0.0.1:$PORT" -config "$TMP/running.json"
[ "$RC" -eq 0 ] || fail "exit $RC: $(cat "$OUT" "$ERR")"
expect_stdout_contains "no change" "a reload would apply this"

check "a new input plugin: the change is named, would apply, exit 0"
cfg filereader:V1 >"$TMP/next.json"
run "$MAFIO" -check -diff -http-address "127.0.0.1:$PORT" -config "$TMP/next.json"
[ "$RC" -eq 0 ] || fail "exit $RC: $(cat "$OUT" "$ERR")"
expect_stdout_contains "~ input app [inputs[0]]: plugin" "a reload would apply this"

check "a changed retry pace: would be refused, exit 1, nothing changed in the agent"
cfg filereader:V2 ',"retry_max":"5s"' >"$TMP/next.json"
expect_exit 1 "$MAFIO" -check -diff -http-address "127.0.0.1:$PORT" -config "$TMP/next.json"
expect_stdout_contains "~ output out [outputs[0]]: retry" "a reload would be refused"
curl -s "http://127.0.0.1:$PORT/pipeline" | grep -q '"plugin": "filereader:V2"' || fail "the agent changed"
expect_exit 1 "$MAFIO" -diff -config "$TMP/next.json"
expect_stderr_contains "-diff: only means something with -check"
kill -TERM "$PID"
wait_exit "$PID"
[ "$RC" -eq 0 ] || fail "exit $(_describe_rc "$RC")"
pass
