#!/usr/bin/env bash
# Tailing scenario 7: a file deleted while it is still being read, behind a slow output
# (the slow-V1 fixture: delay_ms per write call) and small channels, so the reader is far from
# the end when the file disappears. Every line is still delivered, to the slow output and to
# stdout, and afterwards the agent holds no descriptor of the deleted file
# (/proc/<pid>/fd shows none pointing to it; close_timeout is 1s).
#   S7_LINES (60000) lines, S7_DELAY_MS (2) per output call of at most 100 records.
. "$(dirname "$0")/tail_lib.sh"

LINES="${S7_LINES:-60000}"
SHAPE=(--min-len 20 --max-len 100 --seed 7)
F="$TMP/logs/doomed.log"
mkdir -p "$TMP/logs"
make_plugins_dir slow-V1
AGENT_FLAGS+=(-plugins-dir="$PLUGDIR" -max-read-channel-size=1000 -max-write-channel-size=1000 -max-write-bulk-size=100)

"$TESTWRITER" --path "$F" --stream doomed --count "$LINES" "${SHAPE[@]}" || fail "the writer failed"
start_agent "$(reader_config "\"path\":$(json_str "$TMP/logs/*.log"),\"close_timeout\":\"1s\"" \
    '{"plugin":"stdout"},{"plugin":"slow:V1","path":'"$(json_str "$TMP/slow.out")"',"delay_ms":'"${S7_DELAY_MS:-2}"'}')" "$TMP/out"
wait_lines 2000 "$TMP/out"
held=$(fds_pointing_to "$AGENT_PID" 'doomed\.log')
rm "$F"
at_delete=$(lines_in "$TMP/out")
log "deleted doomed.log with $at_delete of $LINES lines delivered; the agent held $held descriptor(s) of it"
check "the reader was still in the middle of the file when it was deleted"
[ "$held" -ge 1 ] && [ "$at_delete" -lt $((LINES / 2)) ] ||
    fail "the file was not being read at the delete ($held descriptors, $at_delete lines delivered): make S7_LINES larger or S7_DELAY_MS longer"

wait_lines "$LINES" "$TMP/out"
_released() { [ "$(fds_pointing_to "$AGENT_PID" 'doomed\.log')" -eq 0 ]; }
wait_until "the agent releases its descriptor of the deleted file" _released
log "descriptor released at $(elapsed)"
stop_agent

run_check "stdout: every line once, in order" "${SHAPE[@]}" --expect-streams 1 --expect-count "$LINES" \
    --exactly-once --in-order "$TMP/out"
run_check "the slow output: every line once, in order" "${SHAPE[@]}" --expect-streams 1 \
    --expect-count "$LINES" --exactly-once --in-order "$TMP/slow.out"
log "figures: $LINES lines, $(total_field lines) through the slow output, duplicates $(total_field duplicates), deleted after $at_delete, descriptor released, $(elapsed)"
pass
