#!/usr/bin/env bash
# A slow output slows the agent down; nothing is lost, nothing reordered, bulks are capped.
# stdin -> valid -> stdout + slow-V1 (sleeps 1 ms per write call, appends to a file) +
# counter-V1 (counts calls and records), with small channels so that the slow output's queue is
# full most of the time:
#   - stdout and the slow output's file are both exactly the input,
#   - counter saw every record, and no write() call got more than -max-write-bulk-size records.
. "$(dirname "$0")/lib.sh"

make_plugins_dir slow-V1 counter-V1
seq -f 'event %g with some payload to make the line longer' 1 100000 >"$TMP/in.txt"
S="$TMP/slow.out"
K="$TMP/counter.out"
BULK=50
expect_exit 0 "$MAFIO" -plugins-dir "$PLUGDIR" -max-read-channel-size=256 \
    -max-write-channel-size=256 -max-write-bulk-size=$BULK \
    -f '{"outputs":[{"plugin":"stdout"},{"plugin":"slow:V1","path":"'"$S"'","delay_ms":1},{"plugin":"counter:V1","path":"'"$K"'"}]}' \
    <"$TMP/in.txt"
expect_same_file "$TMP/in.txt" "$OUT" "stdout (fast output beside a slow one)"
expect_same_file "$TMP/in.txt" "$S" "slow-V1's file"

check "counter-V1 saw 100000 records and at most $BULK per write() call"
[ -s "$K" ] || fail "counter-V1 wrote no report to $K (was stop() called?)"
log "counter: $(cat "$K")"
records=$(sed -E 's/.*records=([0-9]+).*/\1/' "$K")
maxper=$(sed -E 's/.*max_per_call=([0-9]+).*/\1/' "$K")
bytes=$(sed -E 's/.*bytes=([0-9]+).*/\1/' "$K")
[ "$records" -eq 100000 ] || fail "counter-V1 saw $records records, expected 100000"
[ "$bytes" -eq $(($(file_size "$TMP/in.txt") - 100000)) ] || fail "counter-V1 saw $bytes record bytes"
[ "$maxper" -le "$BULK" ] || fail "a write() call got $maxper records, -max-write-bulk-size is $BULK"
[ "$maxper" -ge 1 ] || fail "max_per_call is $maxper"

pass
