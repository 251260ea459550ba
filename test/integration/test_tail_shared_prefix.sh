#!/usr/bin/env bash
# Tailing scenario 6: files that identify badly.
#   a.log and b.log start with the same 2 KiB (stream "common", copied into both), more than the
#   1 KiB fingerprint, so only device + inode tells them apart;
#   e.log starts empty and t.log with one 10-byte line: their fingerprints are shorter than
#   fingerprint_bytes and change as they grow, which must not make them look like new files.
# All four grow while tailed and again after a restart. Each file's lines arrive once: every
# "common" line exactly twice (once per file), every other line once.
#   S6_LINES (500) lines appended per file and step.
. "$(dirname "$0")/tail_lib.sh"

LINES="${S6_LINES:-500}"
SHAPE=(--min-len 20 --max-len 100 --seed 6)
D="$TMP/logs"
mkdir -p "$D"
CONFIG="$(reader_config "\"path\":$(json_str "$D/*.log")" '{"plugin":"stdout"}')"

"$TESTWRITER" --path "$TMP/common" --stream common --count 40 "${SHAPE[@]}" || fail "the writer failed"
common_lines=$(wc -l <"$TMP/common")
check "the shared prefix is at least 2 KiB ($(file_size "$TMP/common") bytes, $common_lines lines)"
[ "$(file_size "$TMP/common")" -ge 2048 ] || fail "the shared prefix is too short"
cp "$TMP/common" "$D/a.log"
cp "$TMP/common" "$D/b.log"
: >"$D/e.log"
printf 'ten:1:abc\n' >"$D/t.log" # exactly 10 bytes, a stream the checker only counts
check "t.log is 10 bytes"
[ "$(file_size "$D/t.log")" -eq 10 ] || fail "t.log has $(file_size "$D/t.log") bytes"

# append STEP: LINES more lines to each of a, b, e and t (streams a, b, e, t).
append() {
    local f
    for f in a b e t; do
        "$TESTWRITER" --path "$D/$f.log" --stream "$f" --start $(($1 * LINES + 1)) --count "$LINES" \
            "${SHAPE[@]}" 2>/dev/null || fail "the writer failed"
    done
}

start_agent "$CONFIG" "$TMP/out"
wait_lines $((2 * common_lines + 1)) "$TMP/out"
append 0
wait_lines $((2 * common_lines + 1 + 4 * LINES)) "$TMP/out"
stop_agent
append 1
start_agent "$CONFIG" "$TMP/out"
wait_lines $((2 * common_lines + 1 + 8 * LINES)) "$TMP/out"
stop_agent

run_check "a, b, e and t: every line once" "${SHAPE[@]}" --ignore-stream common --ignore-stream ten \
    --expect-streams 4 --expect-count $((2 * LINES)) --exactly-once --in-order "$TMP/out"
check "the shared prefix arrived exactly twice (once from a.log, once from b.log)"
sort "$TMP/common" "$TMP/common" >"$TMP/common.expected"
grep '^common:' "$TMP/out" | sort >"$TMP/common.got"
expect_same_file "$TMP/common.expected" "$TMP/common.got" "the delivered common lines (sorted)"
check "the 10-byte line arrived exactly once"
[ "$(grep -cx 'ten:1:abc' "$TMP/out")" -eq 1 ] || fail "ten:1:abc arrived $(grep -cx 'ten:1:abc' "$TMP/out") times"
log "figures: $(lines_in "$TMP/out") lines delivered ($((2 * common_lines + 1 + 8 * LINES)) expected), duplicates $(total_field duplicates), $(elapsed)"
pass
