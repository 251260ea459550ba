#!/usr/bin/env bash
# Live swap of an input's plugin (issue 10, first part): lines are appended to a file while its
# input is swapped filereader:V2 -> V1 -> V2 ... SWAP_COUNT times at irregular moments through
# POST /components/<id>/plugin. Every line must arrive exactly once, in order. Swaps that
# cannot be done are refused with one clear answer while the data keeps flowing.
#   SWAP_LINES (1000000), SWAP_COUNT (20).
. "$(dirname "$0")/tail_lib.sh"

N="${SWAP_LINES:-1000000}"
SWAPS="${SWAP_COUNT:-20}"
SHAPE=(--min-len 8 --max-len 60 --seed 3)
LOG="$TMP/logs/app.log"
mkdir -p "$TMP/logs"
: >"$LOG"
PORT="$(free_port)"
AGENT_FLAGS=(-data-dir="$DATA_DIR" -log-level=info -http-address="127.0.0.1:$PORT")
CONFIG="$(printf '{"inputs":[{"plugin":"filereader:V2","id":"app","path":%s,"poll_interval":"20ms"}],"filters":[],"outputs":[{"plugin":"stdout"}]}' "$(json_str "$LOG")")"

# swap PLUGIN [EXPECTED_STATUS]: POST the swap; fails unless the status is the expected one.
swap() {
    local status
    status=$(curl -s -o "$TMP/swap.json" -w '%{http_code}' -X POST \
        "http://127.0.0.1:$PORT/components/app/plugin" -d "{\"plugin\":\"$1\"}")
    [ "$status" = "${2:-200}" ] || fail "swap to $1 answered $status: $(cat "$TMP/swap.json")"
}

start_agent "$CONFIG" "$TMP/out"
wait_until "the API answers" curl -sf -o /dev/null "http://127.0.0.1:$PORT/health"

check "writing $N lines while the input is swapped $SWAPS times"
"$TESTWRITER" --path "$LOG" --stream app --count "$N" --rate 100000 "${SHAPE[@]}" 2>/dev/null &
WRITER=$!
BG_PIDS+=("$WRITER")
RANDOM=7
for i in $(seq 1 "$SWAPS"); do
    sleep "0.$((RANDOM % 4 + 1))"
    if [ $((i % 2)) = 1 ]; then swap filereader:V1; else swap filereader:V2; fi
done
grep -c "app: swapped" "$ERR" | grep -qx "$SWAPS" || fail "the log does not show $SWAPS swaps"

check "refusals leave the running input alone"
swap stdin 409          # stdin refuses the component's options (path)
grep -q "refused the component's options" "$TMP/swap.json" || fail "no reason: $(cat "$TMP/swap.json")"
swap filereader:V9 409  # no such tag
grep -q "V9" "$TMP/swap.json" || fail "no reason: $(cat "$TMP/swap.json")"
swap_out=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$PORT/components/nope/plugin" -d '{"plugin":"stdin"}')
[ "$swap_out" = 404 ] || fail "an unknown component answered $swap_out"

wait "$WRITER" || fail "the writer failed"
wait_lines "$N" "$TMP/out"
stop_agent
run_check "every line exactly once, in order, across $SWAPS live swaps" "${SHAPE[@]}" \
    --expect-streams 1 --expect-count "$N" --exactly-once --in-order "$TMP/out"
log "figures: $N lines, $SWAPS swaps, $(total_field lines) delivered, duplicates $(total_field duplicates), missing $(total_field missing)"
pass
