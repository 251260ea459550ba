#!/usr/bin/env bash
# SIGTERM during a large, endless stdin stream into logr: the agent stops gracefully (exit 0),
# and the logr file is a prefix of the input ending on a whole line (no torn last record).
# The input is `seq 1 inf`, so the file must be exactly `seq 1 N` for its own line count N.
. "$(dirname "$0")/lib.sh"

L="$TMP/out.log"
mkfifo "$TMP/in.fifo"
seq 1 inf >"$TMP/in.fifo" &
gen=$!
BG_PIDS+=("$gen")
"$MAFIO" -f '{"outputs":[{"plugin":"logr","path":"'"$L"'","max_size":"1GiB"}]}' \
    <"$TMP/in.fifo" >"$TMP/stdout" 2>"$ERR" &
pid=$!
BG_PIDS+=("$pid")

# Some data has made it through the whole pipeline (and still streams in) before the signal.
wait_for_file "$L" 200000
check "sending SIGTERM while the stream is running"
kill -0 "$pid" 2>/dev/null || fail "mafio is not running any more before SIGTERM"
kill -TERM "$pid"
wait_exit "$pid"
[ "$RC" -eq 0 ] || fail "exit code after SIGTERM: $(_describe_rc "$RC"), expected 0"
kill "$gen" 2>/dev/null

check "logr file ends with a newline (no torn last line)"
[ "$(tail -c 1 "$L" | od -An -c | tr -d ' ')" = '\n' ] || fail "the last line of $L is torn: $(tail -c 40 "$L" | od -c | tail -n 3)"
n=$(wc -l <"$L")
log "$n lines, $(file_size "$L") bytes written before shutdown"
seq 1 "$n" >"$TMP/expected"
expect_same_file "$TMP/expected" "$L" "logr file (a prefix of seq 1 inf)"

pass
