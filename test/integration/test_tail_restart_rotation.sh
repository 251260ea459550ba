#!/usr/bin/env bash
# Tailing scenario 3: rename rotation (as in scenario 2) across two graceful restarts, one of
# them with a rotation while the agent is stopped. The agent follows "app.log*", so a file
# renamed while it was down is found again by its identity and resumed from its checkpoint.
# Every line arrives at least once; a duplicate may only repeat the last unacknowledged window
# (S3_DUP_WINDOW lines; after a graceful stop there should be none), and a rotated file is never
# read again from its start (that would repeat up to S3_ROTATE lines).
#   S3_LINES (1000000), S3_ROTATE (100000), S3_LAG (20000), S3_RATE (100000 lines/s),
#   S3_DUP_WINDOW (10000).
. "$(dirname "$0")/tail_lib.sh"

LINES="${S3_LINES:-1000000}"
ROTATE="${S3_ROTATE:-100000}"
WINDOW="${S3_DUP_WINDOW:-10000}"
SHAPE=(--min-len 8 --max-len 64 --seed 3)
CHECK=("${SHAPE[@]}" --expect-streams 1 --expect-count "$LINES" --at-least-once --max-dup-window "$WINDOW" "$TMP/out")
LOG="$TMP/logs/app.log"
mkdir -p "$TMP/logs"
: >"$LOG"
CONFIG="$(reader_config "\"path\":$(json_str "$LOG*")" '{"plugin":"stdout"}')"
rotations() { local n=0; while [ -e "$LOG.$((n + 1))" ]; do n=$((n + 1)); done; echo "$n"; }
_rotated_past() { [ "$(rotations)" -gt "$1" ]; }

"$TESTWRITER" --path "$LOG" --stream app --count "$LINES" --rotate-every "$ROTATE" \
    --rotate-lag "${S3_LAG:-20000}" --rate "${S3_RATE:-100000}" "${SHAPE[@]}" 2>"$TMP/writer.txt" &
writer=$!
BG_PIDS+=("$writer")

start_agent "$CONFIG" "$TMP/out"
wait_lines $((LINES / 4)) "$TMP/out"
stop_agent
stopped_at=$(rotations)
log "stopped at $(lines_in "$TMP/out") lines delivered, $stopped_at rotation(s) so far ($(elapsed))"
wait_until "the writer rotates app.log while the agent is stopped" _rotated_past "$stopped_at"
start_agent "$CONFIG" "$TMP/out"

wait_lines $((LINES * 11 / 20)) "$TMP/out"
stop_agent
log "stopped again at $(lines_in "$TMP/out") lines delivered, restarting at once ($(elapsed))"
start_agent "$CONFIG" "$TMP/out"

wait "$writer" || fail "the writer failed: $(cat "$TMP/writer.txt")"
log "$(cat "$TMP/writer.txt") (at $(elapsed))"
wait_check "every line has arrived" "${CHECK[@]}"
stop_agent

run_check "every line at least once, duplicates only within $WINDOW lines, no rotated file re-read" "${CHECK[@]}"
log "figures: $LINES lines written, $(total_field lines) delivered, duplicates $(total_field duplicates), missing $(total_field missing), 2 restarts, $(elapsed)"
pass
