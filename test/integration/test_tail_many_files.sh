#!/usr/bin/env bash
# Tailing scenario 1: 50 files of random line lengths (1 B to 8 KiB of payload) matched by one
# glob; half of each file exists before the agent starts, half is appended while it tails.
# Every line arrives exactly once and in order within its file.
#   S1_FILES (50) files, S1_LINES (200) lines each, S1_MAX_LEN (8192) longest payload.
. "$(dirname "$0")/tail_lib.sh"

FILES="${S1_FILES:-50}"
LINES="${S1_LINES:-200}"
SHAPE=(--min-len 1 --max-len "${S1_MAX_LEN:-8192}" --seed 11)
mkdir -p "$TMP/logs"
HALF=$((LINES / 2))

"$TESTWRITER" --path "$TMP/logs/f{}.log" --files "$FILES" --count "$HALF" "${SHAPE[@]}" ||
    fail "the writer failed"
start_agent "$(reader_config "\"path\":$(json_str "$TMP/logs/*.log")" '{"plugin":"stdout"}')" "$TMP/out"
wait_lines $((FILES * HALF)) "$TMP/out"
# The rest arrives while the agent follows the files, paced so that reads interleave with writes.
"$TESTWRITER" --path "$TMP/logs/f{}.log" --files "$FILES" --start $((HALF + 1)) \
    --count $((LINES - HALF)) --rate 20000 "${SHAPE[@]}" || fail "the writer failed"
wait_lines $((FILES * LINES)) "$TMP/out"
stop_agent

run_check "every line once, in order per file" "${SHAPE[@]}" --expect-streams "$FILES" \
    --expect-count "$LINES" --exactly-once --in-order "$TMP/out"
log "figures: $FILES files, $(total_field lines) lines ($(file_size "$TMP/out") bytes), duplicates $(total_field duplicates), missing $(total_field missing), $(elapsed)"
pass
