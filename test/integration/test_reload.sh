#!/usr/bin/env bash
# Reload (issue 10, first part): SIGHUP and POST /reload re-read the configuration. A component
# whose plugin or options changed is swapped live; an invalid config, or a change this build
# cannot apply live (an added output), changes nothing and is reported; SIGHUP never ends the
# agent. Under load, 50 SIGHUPs that each flip the input between filereader:V2 and V1 and the
# logr output's max_size (so both are swapped) lose and repeat nothing.
#   RELOAD_LINES (300000), RELOAD_HUPS (50).
. "$(dirname "$0")/tail_lib.sh"

N="${RELOAD_LINES:-300000}"
HUPS="${RELOAD_HUPS:-50}"
SHAPE=(--min-len 8 --max-len 60 --seed 5)
LOG="$TMP/logs/app.log"
CFG="$TMP/mafio.json"
mkdir -p "$TMP/logs"
: >"$LOG"
PORT="$(free_port)"
OUTF="$TMP/out.log"
write_config() { # PLUGIN MAX_SIZE [EXTRA_OUTPUT_JSON]
    printf '{"inputs":[{"plugin":"%s","id":"app","path":%s,"poll_interval":"20ms"}],"filters":[],"outputs":[{"plugin":"logr","id":"out","path":%s,"max_size":"%s"}%s]}\n' \
        "$1" "$(json_str "$LOG")" "$(json_str "$OUTF")" "$2" "${3:+,$3}" >"$CFG.new" && mv "$CFG.new" "$CFG"
}
write_config filereader:V2 1GiB
"$MAFIO" -data-dir "$DATA_DIR" -http-address "127.0.0.1:$PORT" -config "$CFG" >"$TMP/out" 2>"$ERR" &
AGENT_PID=$!
BG_PIDS+=("$AGENT_PID")
wait_until "the API answers" curl -sf -o /dev/null "http://127.0.0.1:$PORT/health"
reloads() { curl -s "http://127.0.0.1:$PORT/metrics" | sed -n "s/^mafio_config_reloads_total{result=\"$1\"} //p"; }

check "$HUPS SIGHUPs while $N lines are written, flipping V2 <-> V1: the agent never exits"
"$TESTWRITER" --path "$LOG" --stream app --count "$N" --rate 60000 "${SHAPE[@]}" 2>/dev/null &
WRITER=$!
BG_PIDS+=("$WRITER")
for i in $(seq 1 "$HUPS"); do
    if [ $((i % 2)) = 1 ]; then write_config filereader:V1 2GiB; else write_config filereader:V2 1GiB; fi
    kill -HUP "$AGENT_PID" || fail "the agent is gone after $i SIGHUPs"
    sleep 0.1
done
wait "$WRITER" || fail "the writer failed"
wait_lines "$N" "$OUTF"
kill -0 "$AGENT_PID" || fail "the agent exited"
[ "$(reloads failed)" = 0 ] || fail "some reloads failed: $(grep 'reload refused' "$ERR" | head -3)"
grep -q "app: swapped filereader:V2 -> filereader:V1" "$ERR" || fail "no input swap was applied"
grep -q "out: swapped logr:V1 -> logr:V1" "$ERR" || fail "no output swap was applied"

check "an invalid config changes nothing and is reported, with file:line:col"
before_ok=$(reloads ok)
echo '{"inputs": [' >"$CFG"
kill -HUP "$AGENT_PID"
wait_until "the failed reload is counted" test "$(reloads failed)" = 1
grep -q "reload refused, nothing changed: .*mafio.json:2:1" "$ERR" || fail "no path-naming message"
curl -s "http://127.0.0.1:$PORT/health" | grep -q "the last reload was refused, nothing changed: .*mafio.json:2:1" ||
    fail "/health does not show the refused reload: $(curl -s "http://127.0.0.1:$PORT/health")"

check "POST /reload of a change this build cannot apply live (a retry pace): 409, nothing changed"
write_config filereader:V2 1GiB "{\"plugin\":\"logr\",\"path\":$(json_str "$TMP/extra.log")}"
sed -i 's/"max_size":"1GiB"}/"max_size":"1GiB","retry_max":"5s"}/' "$CFG"
status=$(curl -s -o "$TMP/reload.json" -w '%{http_code}' -X POST "http://127.0.0.1:$PORT/reload")
[ "$status" = 409 ] || fail "POST /reload answered $status: $(cat "$TMP/reload.json")"
grep -q "need a restart" "$TMP/reload.json" || fail "no reason: $(cat "$TMP/reload.json")"
[ ! -e "$TMP/extra.log" ] || fail "the output added beside the refused change was started"

check "POST /reload of the plain config: 200 and a new revision in /pipeline"
write_config filereader:V2 1GiB
status=$(curl -s -o "$TMP/reload.json" -w '%{http_code}' -X POST "http://127.0.0.1:$PORT/reload")
[ "$status" = 200 ] || fail "POST /reload answered $status: $(cat "$TMP/reload.json")"
rev=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["revision"])' "$TMP/reload.json")
curl -s "http://127.0.0.1:$PORT/pipeline" | grep -q "\"config_revision\": \"$rev\"" ||
    fail "/pipeline does not show revision $rev"
! curl -s "http://127.0.0.1:$PORT/health" | grep -q "last reload" || fail "/health still shows a refused reload"
[ "$(reloads ok)" -gt "$before_ok" ] || fail "the successful reload was not counted"

kill -TERM "$AGENT_PID"
wait_exit "$AGENT_PID"
[ "$RC" -eq 0 ] || fail "exit code $(_describe_rc "$RC")"
run_check "every line exactly once, in order, across the reloads" "${SHAPE[@]}" \
    --expect-streams 1 --expect-count "$N" --exactly-once --in-order "$OUTF"
log "figures: $N lines, $HUPS SIGHUPs, $(grep -c 'app: swapped' "$ERR") input and $(grep -c 'out: swapped' "$ERR") output swaps applied, duplicates $(total_field duplicates), missing $(total_field missing)"
pass
