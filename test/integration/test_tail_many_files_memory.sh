#!/usr/bin/env bash
# Memory does not grow with the number of files followed (issue 16, item 18). Every file ends
# in a half-written line, which the reader must hold while it follows the file.
#   1. The agent follows MF_SMALL (200) such files, then, in a second run, MF_FILES (2000), every
#      file open at once. Once every complete line has arrived, the peak RSS (VmHWM) of the
#      second run is at most MF_GROWTH_MIB (12) above the first's, and below MF_RSS_BOUND_MIB
#      (48). (Each held partial line used to keep a read chunk: +20 MiB from 200 to 2,000 files.)
#   2. exit_on_eof with max_open_files (MF_OPEN, 100) below the number of files: the run ends by
#      itself, and every line arrives once, the half-written last ones too. (A file closed while
#      it held a partial line used to be reopened and read again round after round: the run
#      never ended.)
# Both check every line once and in order per file.
#   MF_LINES (100) lines per file.
. "$(dirname "$0")/tail_lib.sh"

SMALL="${MF_SMALL:-200}"
FILES="${MF_FILES:-2000}"
LINES="${MF_LINES:-100}"
OPEN="${MF_OPEN:-100}"
GROWTH_KIB=$((${MF_GROWTH_MIB:-12} * 1024))
BOUND_KIB=$((${MF_RSS_BOUND_MIB:-48} * 1024))
SHAPE=(--min-len 60 --max-len 140 --seed 18)

# Every file open at once needs that many descriptors: take the hard limit, as the unit does.
ulimit -n "$(ulimit -Hn)" 2>/dev/null
if [ "$((FILES + 100))" -gt "$(ulimit -n)" ]; then
    FILES=$(($(ulimit -n) - 100))
    log "only $(ulimit -n) descriptors: $FILES files"
fi

write_files() { # DIR COUNT
    mkdir -p "$1"
    "$TESTWRITER" --path "$1/f{}.log" --files "$2" --count "$LINES" --hold-last "${SHAPE[@]}" 2>/dev/null ||
        fail "the writer failed"
}
write_files "$TMP/small" "$SMALL"
write_files "$TMP/logs" "$FILES"

# follow DIR COUNT: follows the COUNT files of DIR until all their complete lines arrived; sets
# PEAK_KIB (VmHWM then) and checks the lines.
follow() {
    local dir="$1" count="$2" out="$TMP/out.$2"
    DATA_DIR="$TMP/data.$count"
    AGENT_FLAGS=(-data-dir="$DATA_DIR" -log-level=warn -http-address=off)
    start_agent "$(reader_config "\"path\":$(json_str "$dir/*.log"),\"max_open_files\":$((count + 10))" \
        '{"plugin":"stdout"}')" "$out"
    wait_lines $((count * (LINES - 1))) "$out"
    PEAK_KIB=$(peak_rss_kib "$AGENT_PID")
    [ -n "$PEAK_KIB" ] || fail "no VmHWM in /proc/$AGENT_PID/status"
    stop_agent
    run_check "$count files: every complete line once, in order" "${SHAPE[@]}" \
        --expect-streams "$count" --expect-count $((LINES - 1)) --exactly-once --in-order "$out"
}

follow "$TMP/small" "$SMALL"
small_peak=$PEAK_KIB
follow "$TMP/logs" "$FILES"
log "peak RSS: $small_peak KiB following $SMALL files, $PEAK_KIB KiB following $FILES"
check "following $FILES files takes at most ${MF_GROWTH_MIB:-12} MiB more than $SMALL"
[ "$((PEAK_KIB - small_peak))" -le "$GROWTH_KIB" ] ||
    fail "peak RSS grew by $((PEAK_KIB - small_peak)) KiB from $SMALL to $FILES files"
check "following $FILES files stays below ${MF_RSS_BOUND_MIB:-48} MiB"
[ "$PEAK_KIB" -lt "$BOUND_KIB" ] || fail "peak RSS $PEAK_KIB KiB with $FILES files"

# 2. Read to the end with fewer descriptors than files: files are closed holding their partial
# line, and the run must still end.
check "exit_on_eof, $FILES files, max_open_files $OPEN: the agent ends by itself with exit code 0"
DATA_DIR="$TMP/data.eof"
timeout -k 5 "$MAFIO_TEST_TIMEOUT" "$MAFIO" -data-dir="$DATA_DIR" -log-level=warn -http-address=off \
    -f "$(reader_config "\"path\":$(json_str "$TMP/logs/*.log"),\"max_open_files\":$OPEN,\"exit_on_eof\":true" \
        '{"plugin":"stdout"}')" >"$TMP/out.eof" 2>>"$ERR"
RC=$?
[ "$RC" -eq 0 ] || fail "exit code $(_describe_rc "$RC"), expected 0 (124: it never ended)"
# The last line of each file is its first half: checked apart, the others with their payloads.
LC_ALL=C awk -F: -v n="$LINES" '$2 == n' "$TMP/out.eof" >"$TMP/halves"
LC_ALL=C awk -F: -v n="$LINES" '$2 != n' "$TMP/out.eof" >"$TMP/whole"
check "each file's half-written last line arrived once"
[ "$(wc -l <"$TMP/halves")" -eq "$FILES" ] && [ "$(cut -d: -f1 "$TMP/halves" | sort -u | wc -l)" -eq "$FILES" ] ||
    fail "$(wc -l <"$TMP/halves") half lines for $FILES files"
run_check "exit_on_eof: every complete line once, in order" "${SHAPE[@]}" --expect-streams "$FILES" \
    --expect-count $((LINES - 1)) --exactly-once --in-order "$TMP/whole"
log "figures: $FILES files x $LINES lines, peak RSS $small_peak KiB ($SMALL files) -> $PEAK_KIB KiB ($FILES files), $(elapsed)"
pass
