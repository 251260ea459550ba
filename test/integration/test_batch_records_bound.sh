#!/usr/bin/env bash
# Line inputs keep each batch within the host's max_batch_records (ABI 1.1: a quarter of the
# smaller channel bound), so the channels' record bounds hold batch by batch. Before, one 256 KiB
# read of short lines made a batch of ~37k records against a 4096-record channel.
#   - counter-V1 with a write bulk larger than any batch sees one write() per batch, so its
#     max_per_call is the largest batch: it must stay within the bound.
#   - every record arrives, in order (stdout beside it is byte-identical to the input).
# Short lines (seq: 2-7 bytes) and 1-byte lines are the worst case; the test covers stdin:V1 and
# filereader:V1 (both use plugins/common/line_reader.hpp), default and tiny channels.
. "$(dirname "$0")/lib.sh"

make_plugins_dir counter-V1
seq 1 300000 >"$TMP/seq.txt"
yes x | head -n 200000 >"$TMP/ones.txt"
K="$TMP/counter.out"

# check_bound INPUT_FILE CHANNEL_RECORDS FLAGS...: runs with both inputs, checks the bound.
check_bound() {
    local in="$1" channel="$2" bound=$(($2 / 4)) mode
    shift 2
    for mode in stdin file; do
        check "$mode, $(basename "$in"), channels of $channel records: batches of at most $bound"
        rm -f "$K"
        local conf='{"outputs":[{"plugin":"stdout"},{"plugin":"counter:V1","path":"'"$K"'"}]'
        if [ "$mode" = file ]; then
            conf="$conf"',"inputs":[{"plugin":"filereader:V1","path":"'"$in"'","exit_on_eof":true}]'
        fi
        # A fresh data dir each run: filereader:V1 resumes from checkpoints and would read nothing.
        expect_exit 0 "$MAFIO" -plugins-dir "$PLUGDIR" -filter= -max-write-bulk-size=65536 -http-address=off \
            -data-dir="$(mktemp -d "$TMP/data.XXXXXX")" "$@" -f "$conf}" <"$in"
        expect_same_file "$in" "$OUT" "stdout ($mode)"
        [ -s "$K" ] || fail "counter-V1 wrote no report to $K"
        log "counter: $(cat "$K")"
        local records maxper
        records=$(sed -E 's/.*records=([0-9]+).*/\1/' "$K")
        maxper=$(sed -E 's/.*max_per_call=([0-9]+).*/\1/' "$K")
        [ "$records" -eq "$(wc -l <"$in")" ] || fail "counter-V1 saw $records records"
        [ "$maxper" -le "$bound" ] || fail "a batch of $maxper records, the bound is $bound"
    done
}

check_bound "$TMP/seq.txt" 4096
check_bound "$TMP/ones.txt" 4096
check_bound "$TMP/seq.txt" 40 -max-read-channel-size=40 -max-write-channel-size=400
check_bound "$TMP/ones.txt" 4 -max-read-channel-size=4 -max-write-channel-size=4
pass
