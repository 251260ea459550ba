#!/usr/bin/env bash
# Live swap (issue 10): lines are appended to a file while, through POST
# /components/<id>/plugin at irregular moments, its input is swapped filereader:V2 -> V1 -> V2
# ... SWAP_COUNT times, and the valid filter and the stdout output are each swapped between
# their V1 and a second tag (V9test, the same sources built as a test fixture) as often. Every
# line must arrive exactly once, in order. Swaps that cannot be done are refused with one clear
# answer while the data keeps flowing.   SWAP_LINES (1000000), SWAP_COUNT (20).
. "$(dirname "$0")/tail_lib.sh"

N="${SWAP_LINES:-1000000}"
SWAPS="${SWAP_COUNT:-20}"
SHAPE=(--min-len 8 --max-len 60 --seed 3)
LOG="$TMP/logs/app.log"
mkdir -p "$TMP/logs"
: >"$LOG"
PORT="$(free_port)"
AGENT_FLAGS=(-data-dir="$DATA_DIR" -log-level=info -http-address="127.0.0.1:$PORT")
CONFIG="$(printf '{"inputs":[{"plugin":"filereader:V2","id":"app","path":%s,"poll_interval":"20ms"}],"filters":[{"plugin":"valid:V1","id":"v"}],"outputs":[{"plugin":"stdout:V1","id":"out"}]}' "$(json_str "$LOG")")"
# The second tags of valid and stdout are fixtures (test/fixtures/retagged.cpp).
export MAFIO_PLUGINS_DIR="$MAFIO_TEST_PLUGINS"

# swap PLUGIN [EXPECTED_STATUS [COMPONENT]]: POST the swap of COMPONENT (default: the input
# "app"); fails unless the status is the expected one.
swap() {
    local status
    status=$(curl -s -o "$TMP/swap.json" -w '%{http_code}' -X POST \
        "http://127.0.0.1:$PORT/components/${3:-app}/plugin" -d "{\"plugin\":\"$1\"}")
    [ "$status" = "${2:-200}" ] || fail "swap of ${3:-app} to $1 answered $status: $(cat "$TMP/swap.json")"
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
    sleep "0.0$((RANDOM % 9 + 1))"
    if [ $((i % 2)) = 1 ]; then swap valid:V9test 200 v; else swap valid:V1 200 v; fi
    sleep "0.0$((RANDOM % 9 + 1))"
    if [ $((i % 2)) = 1 ]; then swap stdout:V9test 200 out; else swap stdout:V1 200 out; fi
done
for c in app v out; do
    grep -c "$c: swapped" "$ERR" | grep -qx "$SWAPS" || fail "the log does not show $SWAPS swaps of $c"
done

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
log "figures: $N lines, $SWAPS swaps each of input, filter and output, $(total_field lines) delivered, duplicates $(total_field duplicates), missing $(total_field missing)"
pass
