#!/usr/bin/env bash
# Live swap with rename rotation (issue 10): filereader:V1 does not follow rotation, so rotation
# happens only while V2 runs, and the input is swapped to V1 only once V2 has read everything
# (no rotation pending). Five cycles of: V2 reads lines written with a rename rotation every
# ROT_EVERY lines, swap to V1, V1 reads more lines, swap back to V2. Every line exactly once.
# Not "in order": across a rotation V2 reads the rest of the old file and the new one side by
# side, so their lines interleave (order is kept per file, as README's tailing section says).   ROT_LINES (20000 per phase), ROT_EVERY (7000), ROT_CYCLES (5).
. "$(dirname "$0")/tail_lib.sh"

N="${ROT_LINES:-20000}"
EVERY="${ROT_EVERY:-7000}"
CYCLES="${ROT_CYCLES:-5}"
SHAPE=(--min-len 8 --max-len 60 --seed 13)
LOG="$TMP/logs/app.log"
mkdir -p "$TMP/logs"
: >"$LOG"
PORT="$(free_port)"
AGENT_FLAGS=(-data-dir="$DATA_DIR" -log-level=info -http-address="127.0.0.1:$PORT")
start_agent "$(reader_config "\"id\":\"app\",\"path\":$(json_str "$LOG"),\"poll_interval\":\"20ms\"" '{"plugin":"stdout"}')" "$TMP/out"
wait_until "the API answers" curl -sf -o /dev/null "http://127.0.0.1:$PORT/health"
swap() {
    local status
    status=$(curl -s -o "$TMP/swap.json" -w '%{http_code}' -X POST \
        "http://127.0.0.1:$PORT/components/app/plugin" -d "{\"plugin\":\"$1\"}")
    [ "$status" = 200 ] || fail "swap to $1 answered $status: $(cat "$TMP/swap.json")"
}
next=1
for c in $(seq 1 "$CYCLES"); do
    check "cycle $c: V2 reads through rotations, then V1 reads on"
    "$TESTWRITER" --path "$LOG" --stream app --start "$next" --count "$N" \
        --rotate-every "$EVERY" "${SHAPE[@]}" 2>/dev/null || fail "the writer failed"
    next=$((next + N))
    wait_lines $((next - 1)) "$TMP/out"
    swap filereader:V1
    "$TESTWRITER" --path "$LOG" --stream app --start "$next" --count "$N" "${SHAPE[@]}" \
        2>/dev/null || fail "the writer failed"
    next=$((next + N))
    wait_lines $((next - 1)) "$TMP/out"
    swap filereader:V2
done
stop_agent
run_check "every line exactly once across rotations and $((2 * CYCLES)) swaps" \
    "${SHAPE[@]}" --expect-streams 1 --expect-count $((next - 1)) --exactly-once "$TMP/out"
log "figures: $((next - 1)) lines, $((2 * CYCLES)) swaps, rotations every $EVERY lines while V2 ran; duplicates $(total_field duplicates), missing $(total_field missing)"
pass
