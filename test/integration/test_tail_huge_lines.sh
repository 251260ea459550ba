#!/usr/bin/env bash
# Tailing scenario 9: 16 MiB lines among ordinary ones, with max_line_bytes 1 MiB.
#   long_lines "truncate": each huge line arrives once as its first 1 MiB;
#   long_lines "skip": huge lines do not arrive at all.
# Either way every ordinary line around them arrives once and in order, and the agent's peak
# resident memory (VmHWM) stays below S9_RSS_BOUND_MIB: a huge line is never held whole.
#   S9_BIG_LINES (4) lines of S9_BIG_MIB (16) MiB, S9_LINES (2000) ordinary lines between
#   each, S9_RSS_BOUND_MIB (200).
. "$(dirname "$0")/tail_lib.sh"

BIG="${S9_BIG_LINES:-4}"
BIG_BYTES=$((${S9_BIG_MIB:-16} * 1024 * 1024))
LINES="${S9_LINES:-2000}"
BOUND_KIB=$((${S9_RSS_BOUND_MIB:-200} * 1024))
MAX_LINE=1048576
SHAPE=(--min-len 20 --max-len 200 --seed 9)
F="$TMP/logs/huge.log"
mkdir -p "$TMP/logs"

for ((i = 0; i < BIG; i++)); do
    "$TESTWRITER" --path "$F" --stream n --start $((i * LINES + 1)) --count "$LINES" "${SHAPE[@]}" 2>/dev/null ||
        fail "the writer failed"
    "$TESTWRITER" --path "$F" --stream big --start $((i + 1)) --count 1 --min-len "$BIG_BYTES" \
        --max-len "$BIG_BYTES" 2>/dev/null || fail "the writer failed"
done
"$TESTWRITER" --path "$F" --stream n --start $((BIG * LINES + 1)) --count "$LINES" "${SHAPE[@]}" 2>/dev/null ||
    fail "the writer failed"
TOTAL=$(((BIG + 1) * LINES))
log "huge.log: $(file_size "$F") bytes, $BIG lines of $BIG_BYTES bytes among $TOTAL ordinary lines"

for mode in truncate skip; do
    out="$TMP/out.$mode"
    DATA_DIR="$TMP/data.$mode"
    AGENT_FLAGS=(-data-dir="$DATA_DIR" -log-level=info -http-address=off)
    start_agent "$(reader_config "\"path\":$(json_str "$F"),\"max_line_bytes\":$MAX_LINE,\"long_lines\":\"$mode\"" \
        '{"plugin":"stdout"}')" "$out"
    _last_delivered() { grep -q "^n:$TOTAL:" "$1"; }
    wait_until "the last ordinary line arrives ($mode)" _last_delivered "$out"
    peak=$(peak_rss_kib "$AGENT_PID")
    stop_agent
    log "$mode: peak RSS ${peak} KiB (bound $BOUND_KIB KiB)"
    check "$mode: peak RSS below ${S9_RSS_BOUND_MIB:-200} MiB"
    [ -n "$peak" ] && [ "$peak" -lt "$BOUND_KIB" ] || fail "$mode: peak RSS $peak KiB, bound $BOUND_KIB KiB"

    run_check "$mode: every ordinary line once, in order" "${SHAPE[@]}" --ignore-stream big \
        --expect-streams 1 --expect-count "$TOTAL" --exactly-once --in-order "$out"
    # Lengths of the delivered huge lines (their record plus nothing else).
    LC_ALL=C grep -a '^big:' "$out" | LC_ALL=C awk '{ print length($0) }' >"$TMP/big.$mode"
    got=$(wc -l <"$TMP/big.$mode")
    if [ "$mode" = truncate ]; then
        check "truncate: $BIG huge lines arrived, each cut to $MAX_LINE bytes"
        [ "$got" -eq "$BIG" ] || fail "truncate: $got huge lines delivered, expected $BIG"
        [ "$(sort -u "$TMP/big.$mode")" = "$MAX_LINE" ] || fail "truncate: huge line lengths: $(sort -u "$TMP/big.$mode" | tr '\n' ' ')"
        # The record is the huge line's first MAX_LINE bytes, exactly.
        "$TESTWRITER" --path "$TMP/big1" --stream big --count 1 --min-len "$BIG_BYTES" --max-len "$BIG_BYTES" 2>/dev/null ||
            fail "the writer failed"
        head -c "$MAX_LINE" "$TMP/big1" >"$TMP/big1.head"
        LC_ALL=C grep -a '^big:1:' "$out" | head -c "$MAX_LINE" >"$TMP/big1.got"
        expect_same_file "$TMP/big1.head" "$TMP/big1.got" "truncate: the record of big:1"
        rm -f "$TMP/big1"
        for ((i = 1; i <= BIG; i++)); do
            [ "$(LC_ALL=C grep -ac "^big:$i:" "$out")" -eq 1 ] || fail "truncate: big:$i arrived $(LC_ALL=C grep -ac "^big:$i:" "$out") times"
        done
    else
        check "skip: no huge line arrived"
        [ "$got" -eq 0 ] || fail "skip: $got huge lines delivered"
    fi
    log "figures ($mode): $(total_field lines) ordinary lines, $got huge lines delivered, duplicates $(total_field duplicates), peak RSS $((peak / 1024)) MiB, $(elapsed)"
done
pass
