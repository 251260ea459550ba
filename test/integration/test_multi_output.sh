#!/usr/bin/env bash
# Every output receives every record.
#   1. outputs stdout + logr from -f alone: both get exactly the input.
#   2. -output=stdout,logr (comma list) with logr's path given by -f: both get exactly the input.
#   3. The same with tiny channels and bulks (-max-*-channel-size=16, -max-write-bulk-size=7),
#      where backpressure is constant: still every line in both, in order.
. "$(dirname "$0")/lib.sh"

seq -f 'record %g: the quick brown fox jumps over the lazy dog' 1 200000 >"$TMP/in.txt"

n=0
run_case() { # DESCRIPTION ARGS...
    local what="$1"
    shift
    n=$((n + 1))
    local L="$TMP/logr-$n.log"
    local cfg='{"outputs":[{"plugin":"stdout"},{"plugin":"logr","path":"'"$L"'"}]}'
    log "case $n: $what"
    expect_exit 0 "$MAFIO" "$@" -f "$cfg" <"$TMP/in.txt"
    expect_same_file "$TMP/in.txt" "$OUT" "stdout ($what)"
    expect_same_file "$TMP/in.txt" "$L" "logr file ($what)"
}

run_case "outputs from -f"
run_case "-output=stdout,logr" -output=stdout,logr
run_case "tiny channels" -output=stdout,logr -max-read-channel-size=16 \
    -max-write-channel-size=16 -max-write-bulk-size=7

pass
