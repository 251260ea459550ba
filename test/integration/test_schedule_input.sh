#!/usr/bin/env bash
# "schedule" on any input (issue 11): a scheduled filereader with exit_on_eof reads, at each
# tick, only what was appended since its last run; every line arrives exactly once; the input
# waits for the next tick instead of ending the agent; /pipeline shows the schedule, the last
# run and the next fire time; bad schedule keys are configuration errors naming their path.
. "$(dirname "$0")/lib.sh"

port=$(free_port)
printf 'line 1\nline 2\n' >"$TMP/app.log"
"$MAFIO" -http-address "127.0.0.1:$port" -data-dir "$TMP/data" \
    -f "{\"inputs\":[{\"plugin\":\"filereader:V2\",\"id\":\"app\",\"path\":\"$TMP/app.log\",
                      \"read_from\":\"head\",\"exit_on_eof\":true,\"schedule\":\"@every 1s\"}],
         \"filters\":[],\"outputs\":[{\"plugin\":\"logr\",\"path\":\"$TMP/out.log\"}]}" \
    >"$OUT" 2>"$ERR" &
PID=$!
BG_PIDS+=("$PID")

lines_are() { [ -f "$TMP/out.log" ] && [ "$(wc -l <"$TMP/out.log")" -ge "$1" ]; }
runs() { input_schedule "$port" runs; }
runs_at_least() { [ "$(runs 2>/dev/null || echo 0)" -ge "$1" ]; }

wait_until "the first run read the first two lines" lines_are 2
n=2
for round in 1 2 3; do
    # A run has ended since the last append (the next one starts from its positions).
    r=$(runs)
    wait_until "run $((r + 1)) began" runs_at_least $((r + 1))
    printf 'line %d\nline %d\n' $((n + 1)) $((n + 2)) >>"$TMP/app.log"
    n=$((n + 2))
    wait_until "round $round's lines arrived" lines_are "$n"
done
# Two more runs with nothing new: nothing is read again.
r=$(runs)
wait_until "two more runs" runs_at_least $((r + 2))

check "every line exactly once, in order"
seq 1 "$n" | sed 's/^/line /' >"$TMP/expected.log"
cmp -s "$TMP/expected.log" "$TMP/out.log" || fail "output differs: $(diff "$TMP/expected.log" "$TMP/out.log" | head)"

check "the agent still runs (a scheduled input does not end it at end of input)"
kill -0 "$PID" || fail "the agent exited: $(tail -5 "$ERR")"

check "/pipeline shows the schedule, the last run and the next fire time"
python3 - "$port" <<'PY' || fail "/pipeline lacks the schedule fields"
import json, sys, urllib.request
doc = json.load(urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/pipeline"))
s = doc["inputs"][0]["schedule"]
assert s["expression"] == "@every 1s", s
assert s["overlap"] == "skip" and s["catch_up"] == "none", s
assert s["runs"] >= 5 and s["last_run_start"] and s["next_fire"], s
assert s["last_result"] in ("ok", "running"), s
assert "schedule" not in doc["inputs"][0]["options"], "schedule keys went to the plugin"
PY
check "/metrics counts the runs"
python3 - "$port" <<'PY' || fail "no mafio_schedule_runs_total for the input"
import sys, urllib.request
text = urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/metrics").read().decode()
assert any(l.startswith('mafio_schedule_runs_total{component="app"') for l in text.splitlines())
PY

kill -TERM "$PID"
wait_exit "$PID"
[ "$RC" -eq 0 ] || fail "exit $(_describe_rc "$RC")"

# --- errors name the key and what is accepted ---
bad() { # KEYS... EXPECTED
    local keys="$1" want="$2"
    expect_exit 1 "$MAFIO" -check -http-address off -data-dir "$TMP/d2" \
        -f "{\"inputs\":[{\"plugin\":\"stdin\",$keys}],\"filters\":[],\"outputs\":[{\"plugin\":\"stdout\"}]}"
    expect_stderr_contains "$want"
}
bad '"schedule":"0 25 * * *"' 'inputs[0].schedule: field 2 (hour) "25": expected 0-23'
bad '"schedule":"@daily","timezone":"Mars/Base"' 'inputs[0].timezone: time zone "Mars/Base": no such zone'
bad '"schedule":"@daily","overlap":"wait"' 'inputs[0].overlap: expected "skip"'
bad '"schedule":"@daily","catch_up":"all"' 'inputs[0].catch_up: expected "none" or "one"'
bad '"schedule":""' 'inputs[0].schedule: empty; expected a cron expression'
# Without a schedule, timezone is the plugin's option (cron:V1 has one); stdin has none.
bad '"timezone":"UTC"' 'inputs[0].timezone: unknown option'
expect_exit 0 "$MAFIO" -check -http-address off -data-dir "$TMP/d2" \
    -f '{"inputs":[{"plugin":"stdin","schedule":"0 9 * * MON-FRI","timezone":"America/New_York","overlap":"queue","catch_up":"one"}],"filters":[],"outputs":[{"plugin":"stdout"}]}'
check "-check shows the schedule and its next run"
grep -qE '^ +schedule "0 9 \* \* MON-FRI" \(America/New_York; overlap queue, catch_up one\), next run [0-9-]+T09:00:00-0[45]:00$' "$OUT" ||
    fail "no schedule line in: $(cat "$OUT")"
pass
