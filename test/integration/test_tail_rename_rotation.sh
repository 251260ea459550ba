#!/usr/bin/env bash
# Tailing scenario 2: rename rotation under load. The writer renames app.log to app.log.1 (older
# files shifted up) every S2_ROTATE lines and, like a logger that notices late, keeps writing
# S2_LAG more lines to the renamed file before it reopens app.log. The agent follows only
# "app.log": the lines written after the rename reach it only if it keeps reading the renamed
# file (rotate_wait) while it reads the new app.log from its start. Every line exactly once.
#   S2_LINES (1000000) lines, S2_ROTATE (100000), S2_LAG (20000), S2_RATE (200000 lines/s).
. "$(dirname "$0")/tail_lib.sh"

LINES="${S2_LINES:-1000000}"
ROTATE="${S2_ROTATE:-100000}"
SHAPE=(--min-len 8 --max-len 64 --seed 2)
LOG="$TMP/logs/app.log"
start_tailing_one_file "$LOG" "$TMP/out" "${SHAPE[@]}"
"$TESTWRITER" --path "$LOG" --stream app --start 2 --count $((LINES - 1)) --rotate-every "$ROTATE" \
    --rotate-lag "${S2_LAG:-20000}" --rate "${S2_RATE:-200000}" "${SHAPE[@]}" 2>"$TMP/writer.txt" ||
    fail "the writer failed: $(cat "$TMP/writer.txt")"
log "$(cat "$TMP/writer.txt") (at $(elapsed))"
wait_lines "$LINES" "$TMP/out"
stop_agent

run_check "every line exactly once across $(((LINES - 1) / ROTATE)) rotations" "${SHAPE[@]}" \
    --expect-streams 1 --expect-count "$LINES" --exactly-once "$TMP/out"
log "figures: $(total_field lines) lines, $(((LINES - 1) / ROTATE)) rotations, duplicates $(total_field duplicates), missing $(total_field missing), lines delivered out of order $(total_field inversions), $(elapsed)"
pass
