#!/usr/bin/env bash
# Tailing scenario 12: exit_on_eof over a large set of files. The agent reads S12_FILES files
# holding S12_MIB MiB together to their ends, delivers every line, stores its checkpoints and
# exits 0. The same run over a quarter of the data shows that the peak resident memory does not
# grow with the size read: the big run's peak is at most twice the small run's (a generous
# ratio; a reader that kept what it read would grow four times).
# S12_MIB defaults to 256 to keep CI short; the issue's figure is 1 GiB: S12_MIB=1024.
#   S12_MIB (256), S12_FILES (8).
. "$(dirname "$0")/tail_lib.sh"

MIB="${S12_MIB:-256}"
FILES="${S12_FILES:-8}"
SHAPE=(--min-len 16 --max-len 240 --seed 12)
BYTES_PER_LINE=143 # about: "fN.log:" + a number + ':' + 128 payload bytes on average + '\n'

# measure LABEL MIB: writes MIB MiB into FILES files, runs the agent once over them, checks the
# output and sets PEAK_KIB (the agent's peak RSS) and RUN_SECS.
PEAK_KIB=0
RUN_SECS=0
measure() {
    local label="$1" mib="$2" dir="$TMP/$1"
    local lines=$((mib * 1048576 / FILES / BYTES_PER_LINE))
    mkdir -p "$dir/logs"
    "$TESTWRITER" --path "$dir/logs/f{}.log" --files "$FILES" --count "$lines" "${SHAPE[@]}" \
        2>"$TMP/writer.txt" || fail "the writer failed: $(cat "$TMP/writer.txt")"
    log "$label: $(cat "$TMP/writer.txt")"
    local cfg
    cfg="$(reader_config "\"path\":$(json_str "$dir/logs/*.log"),\"exit_on_eof\":true" '{"plugin":"stdout"}')"
    local start=$SECONDS
    check "$label: exit_on_eof over $mib MiB exits 0"
    if [ -x /usr/bin/time ] && /usr/bin/time -f %M true 2>/dev/null; then
        timeout -k 10 "$MAFIO_TEST_TIMEOUT" /usr/bin/time -f %M -o "$dir/peak" \
            "$MAFIO" -data-dir="$dir/data" -log-level=info -http-address=off -f "$cfg" >"$dir/out" 2>"$ERR"
        RC=$?
        PEAK_KIB=$(tail -n 1 "$dir/peak")
    else # no GNU time: sample VmHWM (a high-water mark, so the last sample is the peak so far)
        "$MAFIO" -data-dir="$dir/data" -log-level=info -http-address=off -f "$cfg" >"$dir/out" 2>"$ERR" &
        local pid=$! p
        BG_PIDS+=("$pid")
        PEAK_KIB=0
        while kill -0 "$pid" 2>/dev/null; do
            p=$(peak_rss_kib "$pid")
            [ -n "$p" ] && PEAK_KIB=$p
            sleep 0.05
        done
        wait_exit "$pid"
    fi
    RUN_SECS=$((SECONDS - start))
    [ "$RC" -eq 0 ] || fail "$label: exit code $(_describe_rc "$RC"), expected 0"
    check "$label: checkpoints were stored"
    [ -n "$(ls -A "$dir/data/checkpoints" 2>/dev/null)" ] || fail "$label: nothing in $dir/data/checkpoints"
    run_check "$label: every line once, in order per file" "${SHAPE[@]}" --expect-streams "$FILES" \
        --expect-count "$lines" --exactly-once --in-order "$dir/out"
    log "figures ($label): $(total_field lines) lines, $(file_size "$dir/out") bytes, duplicates $(total_field duplicates), peak RSS $PEAK_KIB KiB, agent ${RUN_SECS}s"
    rm -rf "$dir/logs" "$dir/out"
}

measure small $((MIB / 4))
small_peak=$PEAK_KIB
measure big "$MIB"
big_peak=$PEAK_KIB
check "peak RSS does not grow with the data: $big_peak KiB for $MIB MiB <= 2 x $small_peak KiB for $((MIB / 4)) MiB"
[ "$big_peak" -le $((2 * small_peak)) ] || fail "peak RSS $big_peak KiB over $MIB MiB, $small_peak KiB over $((MIB / 4)) MiB"
log "figures: $MIB MiB in $FILES files read in ${RUN_SECS}s, peak RSS $big_peak KiB vs $small_peak KiB at a quarter of the size, $(elapsed) in all"
pass
