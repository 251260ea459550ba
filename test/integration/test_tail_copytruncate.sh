#!/usr/bin/env bash
# Tailing scenario 4: copytruncate rotation under load. Every S4_ROTATE lines the writer copies
# app.log to app.log.1 (older copies shifted up), writes S4_GAP more lines (a logger does not
# stop while logrotate copies) and truncates app.log to 0, then keeps writing at its start. The
# agent follows only "app.log". Lines written after the agent's last read and before the
# truncate are in no file any more (the gap lines) or only in the copy: that is the
# copytruncate window, the only place a line may be lost (a run of at most S4_LOSS_WINDOW lines
# ending just before a truncate). Nothing may arrive twice, and the agent logs each truncation.
#   S4_LINES (1000000), S4_ROTATE (100000), S4_GAP (100), S4_RATE (100000 lines/s),
#   S4_LOSS_WINDOW (20000).
. "$(dirname "$0")/tail_lib.sh"

LINES="${S4_LINES:-1000000}"
ROTATE="${S4_ROTATE:-100000}"
GAP="${S4_GAP:-100}"
SHAPE=(--min-len 8 --max-len 64 --seed 4)
LOG="$TMP/logs/app.log"
start_tailing_one_file "$LOG" "$TMP/out" "${SHAPE[@]}"
"$TESTWRITER" --path "$LOG" --stream app --start 2 --count $((LINES - 1)) \
    --copytruncate-every "$ROTATE" --copytruncate-gap "$GAP" --rate "${S4_RATE:-100000}" "${SHAPE[@]}" 2>"$TMP/writer.txt" ||
    fail "the writer failed: $(cat "$TMP/writer.txt")"
log "$(cat "$TMP/writer.txt") (at $(elapsed))"
# The last line is never in a copytruncate window (no truncate follows it): when it is there,
# the agent has read everything it will ever read.
wait_until "the last line (app:$LINES) is delivered" grep -q "^app:$LINES:" "$TMP/out"
stop_agent

run_check "no duplicates, losses only in the copytruncate windows" "${SHAPE[@]}" \
    --expect-streams 1 --expect-count "$LINES" --at-least-once --no-dups \
    --allow-loss-before-every "$ROTATE" --loss-offset "$GAP" \
    --max-loss-window "${S4_LOSS_WINDOW:-20000}" "$TMP/out"
lost=$(total_field missing)
truncations=$(grep -ciE "warn.*truncat" "$ERR")
log "the agent logged $truncations truncation(s) for $(((LINES - 1) / ROTATE)) copytruncates"
check "every truncation is reported in the agent's log"
[ "$truncations" -ge $(((LINES - 1) / ROTATE)) ] ||
    fail "$truncations truncation message(s) in the log, expected $(((LINES - 1) / ROTATE))"
log "figures: $LINES lines written, $(total_field lines) delivered, lost in copytruncate windows $lost, duplicates $(total_field duplicates), $(elapsed)"
pass
