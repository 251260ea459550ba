#!/usr/bin/env bash
# filereader:V1 reads a file from the start, and resumes where it stopped.
#   1. -input=filereader:V1 with -f '{"inputs":[{"plugin":"filereader:V1","path":X,"exit_on_eof":true}]}'
#      prints exactly X's bytes and exits 0 (one-shot read).
#   2. The same with the config alone (no -input flag), in a fresh data dir.
#   2b. Run again with 2's data dir: nothing is printed (resumed at the end); after appending
#      lines, exactly those are printed.
#   3. `-input=file -filepath=X` selects filereader (the highest tag present), says which tag it
#      picked, follows the file (lines appended later arrive too) and SIGTERM ends it with exit 0.
# Every run has its own -data-dir: the default one is shared with whatever else ran on the host.
. "$(dirname "$0")/lib.sh"

X="$TMP/app.log"
{
    seq -f 'line %g of the file' 1 200000
    printf 'caf\xc3\xa9 \xe2\x82\xac last line\n'
} >"$X"
cfg='{"inputs":[{"plugin":"filereader:V1","path":"'"$X"'","exit_on_eof":true}]}'

# 1.
expect_exit 0 "$MAFIO" -data-dir="$TMP/data1" -http-address=off -input=filereader:V1 -f "$cfg"
expect_same_file "$X" "$OUT" "stdout of -input=filereader:V1 (exit_on_eof)"

# 2.
expect_exit 0 "$MAFIO" -data-dir="$TMP/data2" -http-address=off -f "$cfg"
expect_same_file "$X" "$OUT" "stdout of -f filereader:V1 config alone"

# 2b.
expect_exit 0 "$MAFIO" -data-dir="$TMP/data2" -http-address=off -f "$cfg"
check "a second run with the same data dir resumes at the end: prints nothing"
[ ! -s "$OUT" ] || fail "the second run printed $(wc -l <"$OUT") line(s), expected none"
expect_stderr_contains "resuming \"$X\" at offset $(file_size "$X")"
printf 'appended a\nappended b\n' >>"$X"
printf 'appended a\nappended b\n' >"$TMP/appended"
expect_exit 0 "$MAFIO" -data-dir="$TMP/data2" -http-address=off -f "$cfg"
expect_same_file "$TMP/appended" "$OUT" "stdout of a third run after appending two lines"

# 3. -input=file -filepath=X: tails the file until SIGTERM.
tag="$(highest_tag filereader)"
[ -n "$tag" ] || fail "no filereader-*.so in $MAFIO_PLUGINS"
check "-input=file -filepath=X follows X and picks filereader:$tag"
"$MAFIO" -data-dir="$TMP/data3" -http-address=off -input=file -filepath="$X" >"$TMP/tail.out" 2>"$ERR" &
pid=$!
BG_PIDS+=("$pid")
wait_for_file "$TMP/tail.out" "$(file_size "$X")"
printf 'appended 1\nappended 2\n' >>"$X"
wait_for_file "$TMP/tail.out" "$(file_size "$X")"
kill -TERM "$pid"
wait_exit "$pid"
[ "$RC" -eq 0 ] || fail "after SIGTERM, exit code $(_describe_rc "$RC"), expected 0"
expect_same_file "$X" "$TMP/tail.out" "stdout of -input=file -filepath=X (with appended lines)"
expect_stderr_contains "filereader:$tag"

pass
