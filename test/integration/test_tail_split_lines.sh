#!/usr/bin/env bash
# Tailing scenario 8: lines that reach the file in pieces.
#   1. Each line is written in 2 or 3 write() calls with S8_PAUSE_MS between them, while the
#      agent follows the file (inotify wakes it at every piece).
#   2. A line is half written when the agent stops; the restarted agent sees its second half.
# No line is ever delivered split or merged (mafio-testcheck verifies every payload), and each
# arrives exactly once.
#   S8_LINES (12) lines written in pieces, S8_PAUSE_MS (120).
. "$(dirname "$0")/tail_lib.sh"

LINES="${S8_LINES:-12}"
SHAPE=(--min-len 30 --max-len 200 --seed 8)
F="$TMP/logs/pieces.log"
mkdir -p "$TMP/logs"
: >"$F"
CONFIG="$(reader_config "\"path\":$(json_str "$F")" '{"plugin":"stdout"}')"

start_agent "$CONFIG" "$TMP/out"
# 1. Lines 1..LINES in pieces; the last of them stops half-way (no newline yet).
"$TESTWRITER" --path "$F" --stream p --count "$LINES" --split-writes \
    --split-pause-ms "${S8_PAUSE_MS:-120}" --hold-last "${SHAPE[@]}" 2>/dev/null || fail "the writer failed"
wait_lines $((LINES - 1)) "$TMP/out"
stop_agent
check "the half-written line $LINES was not delivered before the restart"
[ "$(lines_in "$TMP/out")" -eq $((LINES - 1)) ] || fail "$(lines_in "$TMP/out") lines delivered, expected $((LINES - 1))"

# 2. The restarted agent must resume before the held half line, then see it completed.
start_agent "$CONFIG" "$TMP/out"
"$TESTWRITER" --path "$F" --stream p --start "$LINES" --count "$LINES" --complete-first --split-writes \
    --split-pause-ms "${S8_PAUSE_MS:-120}" "${SHAPE[@]}" 2>/dev/null || fail "the writer failed"
wait_lines $((2 * LINES - 1)) "$TMP/out"
stop_agent

run_check "no line split or merged, each once" "${SHAPE[@]}" --expect-streams 1 \
    --expect-count $((2 * LINES - 1)) --exactly-once --in-order "$TMP/out"
log "figures: $(total_field lines) lines written in pieces, bad payloads $(total_field bad_payload), duplicates $(total_field duplicates), $(elapsed)"
pass
