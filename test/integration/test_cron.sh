#!/usr/bin/env bash
# The cron:V1 input (issue 11): the original's cron_map form emits each string as one record at
# every tick; the same job from its own "@pluginName": "cron" file named by the TOML config's
# plugins_config_paths; a bad expression refused at create naming the cron_map key; and
# `mafio -cron` printing five fire times or refusing a bad expression.
. "$(dirname "$0")/lib.sh"

count() { if [ -f "$2" ]; then grep -cx -- "$1" "$2" || true; else echo 0; fi; }

# --- cron_map in the JSON config: two strings on one expression, one on another ---
"$MAFIO" -http-address off -data-dir "$TMP/data" \
    -f "{\"inputs\":[{\"plugin\":\"cron\",\"cron_map\":{\"*/1 * * * * ?\":[\"job a\",\"job b\"],
                                                   \"@every 1s\":\"job c\"}}],
         \"filters\":[],\"outputs\":[{\"plugin\":\"logr\",\"path\":\"$TMP/out.log\"}]}" \
    >"$OUT" 2>"$ERR" &
PID=$!
BG_PIDS+=("$PID")
three_ticks() { [ "$(count 'job a' "$TMP/out.log")" -ge 3 ] && [ "$(count 'job c' "$TMP/out.log")" -ge 3 ]; }
wait_until "three ticks of each expression" three_ticks
kill -TERM "$PID"
wait_exit "$PID"
[ "$RC" -eq 0 ] || fail "exit $(_describe_rc "$RC")"
a=$(count 'job a' "$TMP/out.log")
b=$(count 'job b' "$TMP/out.log")
check "each string of one expression once per tick: job a $a times, job b $b times"
[ "$a" -eq "$b" ] || fail "job a and job b share their ticks but came $a and $b times"
check "nothing but the configured strings"
others=$(grep -cvx 'job a\|job b\|job c' "$TMP/out.log" || true)
[ "$others" -eq 0 ] || fail "$others unexpected lines in the output"

# --- each record's time is its tick: whole seconds here, shared by the strings of one tick ---
make_plugins_dir slow-V1
"$MAFIO" -plugins-dir "$PLUGDIR" -http-address off -data-dir "$TMP/data4" \
    -f "{\"inputs\":[{\"plugin\":\"cron\",\"cron_map\":{\"*/1 * * * * *\":[\"x\",\"y\"]}}],
         \"filters\":[],\"outputs\":[{\"plugin\":\"slow\",\"delay_ms\":0,\"with_time\":true,
                                      \"path\":\"$TMP/timed.log\"}]}" >"$OUT" 2>"$ERR" &
PID=$!
BG_PIDS+=("$PID")
# The fixture writes through stdio and flushes at stop: let a few ticks pass, then stop it.
started=$(date +%s)
ticks_passed() { [ "$(date +%s)" -ge $((started + 4)) ]; }
wait_until "a few ticks passed" ticks_passed
kill -TERM "$PID"
wait_exit "$PID"
[ "$RC" -eq 0 ] || fail "exit $(_describe_rc "$RC")"
[ "$(grep -c $'\ty$' "$TMP/timed.log")" -ge 2 ] || fail "fewer than 2 ticks in: $(cat "$TMP/timed.log")"
check "record times are the ticks: whole seconds, one per tick, x and y alike"
python3 - "$TMP/timed.log" <<'PY' || fail "record times are not the fire times: $(head -6 "$TMP/timed.log")"
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
xs = [int(t) for t, r in rows if r == "x"]
ys = [int(t) for t, r in rows if r == "y"]
assert xs and xs == ys, (xs, ys)
assert all(t % 1_000_000_000 == 0 and t > 1_600_000_000 * 10**9 for t in xs), xs
assert all(b - a == 1_000_000_000 for a, b in zip(xs, xs[1:])), xs
PY

# --- the original's layout: the job in its own file, named from the TOML config ---
cat >"$TMP/cron_input.json" <<'JSON'
{
  "@pluginName": "cron",
  "cron_map": {"*/1 * * * * ?": ["ps -ef | grep go", "uptime"]}
}
JSON
cat >"$TMP/logr.json" <<JSON
{"@pluginName": "logr", "path": "$TMP/toml.log"}
JSON
cat >"$TMP/agent.conf" <<'TOML'
input = "cron"
filter = []
output = "logr"
plugins_config_paths = ["cron_input.json", "logr.json"]
TOML
"$MAFIO" -config "$TMP/agent.conf" -http-address off -data-dir "$TMP/data2" >"$OUT" 2>"$ERR" &
PID=$!
BG_PIDS+=("$PID")
two_ticks() { [ "$(count 'uptime' "$TMP/toml.log")" -ge 2 ]; }
wait_until "two ticks of the job from cron_input.json" two_ticks
kill -TERM "$PID"
wait_exit "$PID"
[ "$RC" -eq 0 ] || fail "exit $(_describe_rc "$RC")"
check "the @pluginName file's strings, as given"
[ "$(count 'ps -ef | grep go' "$TMP/toml.log")" -eq "$(count 'uptime' "$TMP/toml.log")" ] ||
    fail "the two strings of one expression came a different number of times"

# --- a bad expression: create fails naming the cron_map key ---
expect_exit 1 "$MAFIO" -check -http-address off -data-dir "$TMP/data3" \
    -f '{"inputs":[{"plugin":"cron","cron_map":{"0 25 * * *":["x"]}}],"filters":[],"outputs":[{"plugin":"stdout"}]}'
expect_stderr_contains 'inputs[0].cron_map."0 25 * * *": field 2 (hour) "25": expected 0-23'
expect_exit 1 "$MAFIO" -check -http-address off -data-dir "$TMP/data3" \
    -f '{"inputs":[{"plugin":"cron","cron_map":{"@daily":["x"]},"timezone":"Mars/Base"}],"filters":[],"outputs":[{"plugin":"stdout"}]}'
expect_stderr_contains 'inputs[0].timezone: time zone "Mars/Base": no such zone'

# --- mafio -cron ---
expect_exit 0 "$MAFIO" -cron "30 2 * * *" -cron-timezone Europe/Berlin
check "five fire times, RFC 3339 in the zone"
[ "$(wc -l <"$OUT")" -eq 5 ] || fail "expected 5 lines, got: $(cat "$OUT")"
grep -qvE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T02:30:00\+0[12]:00$' "$OUT" && fail "unexpected line in: $(cat "$OUT")"
expect_exit 0 "$MAFIO" -cron "0 */1 * * * ?"
[ "$(wc -l <"$OUT")" -eq 5 ] || fail "expected 5 lines, got: $(cat "$OUT")"
expect_exit 1 "$MAFIO" -cron "0 25 * * *"
expect_stderr_contains '-cron: schedule: field 2 (hour) "25": expected 0-23'
expect_exit 1 "$MAFIO" -cron "@daily" -cron-timezone Nowhere/City
expect_stderr_contains '-cron-timezone: time zone "Nowhere/City": no such zone'
pass
