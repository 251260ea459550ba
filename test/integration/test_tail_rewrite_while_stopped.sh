#!/usr/bin/env bash
# Tailing scenario 5: files replaced while the agent is stopped.
#   t.log is truncated and rewritten with fewer bytes than the stored offset;
#   u.log is deleted and a new u.log created, reusing the old inode when the filesystem hands
#   it out again (tried a few times; said in the log), with more bytes than the stored offset,
#   so only the fingerprint of its first bytes tells it from the old file.
# After the restart the new lines of both arrive exactly once: none lost, none of the old ones
# again. Each file's lines are one stream numbered across the two contents.
#   S5_LINES (2000) lines before the stop.
. "$(dirname "$0")/tail_lib.sh"

LINES="${S5_LINES:-2000}"
SHAPE=(--min-len 20 --max-len 100 --seed 5)
T="$TMP/logs/t.log"
U="$TMP/logs/u.log"
mkdir -p "$TMP/logs"
CONFIG="$(reader_config "\"path\":$(json_str "$TMP/logs/*.log")" '{"plugin":"stdout"}')"

"$TESTWRITER" --path "$T" --stream t --count "$LINES" "${SHAPE[@]}" || fail "the writer failed"
"$TESTWRITER" --path "$U" --stream u --count "$LINES" "${SHAPE[@]}" || fail "the writer failed"
start_agent "$CONFIG" "$TMP/out"
wait_lines $((2 * LINES)) "$TMP/out"
stop_agent
old_t_size=$(file_size "$T")
old_u_inode=$(stat -c %i "$U")

# t.log: same inode, shorter content (a tenth of the lines).
: >"$T"
"$TESTWRITER" --path "$T" --stream t --start $((LINES + 1)) --count $((LINES / 10)) "${SHAPE[@]}" ||
    fail "the writer failed"
log "t.log rewritten in place: $old_t_size -> $(file_size "$T") bytes"

# u.log: deleted, then a new file created in its place, on the old inode if we can get it.
rm "$U"
reused=no
for i in $(seq 1 20); do
    : >"$TMP/logs/candidate.$i"
    if [ "$(stat -c %i "$TMP/logs/candidate.$i")" = "$old_u_inode" ]; then
        mv "$TMP/logs/candidate.$i" "$U"
        reused=yes
        break
    fi
done
rm -f "$TMP/logs"/candidate.*
[ -e "$U" ] || : >"$U"
"$TESTWRITER" --path "$U" --stream u --start $((LINES + 1)) --count $((LINES * 2)) "${SHAPE[@]}" ||
    fail "the writer failed"
log "u.log deleted and recreated: inode $old_u_inode -> $(stat -c %i "$U") (reused: $reused), $(file_size "$U") bytes"

start_agent "$CONFIG" "$TMP/out"
wait_lines $((2 * LINES + LINES / 10 + 2 * LINES)) "$TMP/out"
stop_agent

# t: LINES old + LINES/10 new; u: LINES old + 2*LINES new; each number once.
run_check "t.log: old and rewritten lines exactly once" "${SHAPE[@]}" --ignore-stream u \
    --expect-streams 1 --expect-count $((LINES + LINES / 10)) --exactly-once --in-order "$TMP/out"
t_total="$CHECK_TOTAL"
run_check "u.log: old and recreated lines exactly once" "${SHAPE[@]}" --ignore-stream t \
    --expect-streams 1 --expect-count $((3 * LINES)) --exactly-once --in-order "$TMP/out"
log "figures: t.log $(sed 's/.*\(lines=[0-9]*\).*\(duplicates=[0-9]*\).*/\1 \2/' <<<"$t_total"), u.log $(total_field lines) lines duplicates $(total_field duplicates) (inode reused: $reused), $(elapsed)"
pass
