#!/usr/bin/env bash
# filereader:V1 reads a file from the start.
#   1. -input=filereader:V1 with -f '{"inputs":[{"plugin":"filereader:V1","path":X,"exit_on_eof":true}]}'
#      prints exactly X's bytes and exits 0 (one-shot read).
#   2. The same with the config alone (no -input flag).
#   3. `-input=file -filepath=X` selects filereader (the highest tag present), says which tag it
#      picked, follows the file (lines appended later arrive too) and SIGTERM ends it with exit 0.
. "$(dirname "$0")/lib.sh"

X="$TMP/app.log"
{
    seq -f 'line %g of the file' 1 200000
    printf 'caf\xc3\xa9 \xe2\x82\xac last line\n'
} >"$X"
cfg='{"inputs":[{"plugin":"filereader:V1","path":"'"$X"'","exit_on_eof":true}]}'

# 1.
expect_exit 0 "$MAFIO" -input=filereader:V1 -f "$cfg"
expect_same_file "$X" "$OUT" "stdout of -input=filereader:V1 (exit_on_eof)"

# 2.
expect_exit 0 "$MAFIO" -f "$cfg"
expect_same_file "$X" "$OUT" "stdout of -f filereader:V1 config alone"

# 3. -input=file -filepath=X: tails the file until SIGTERM.
tag="$(highest_tag filereader)"
[ -n "$tag" ] || fail "no filereader-*.so in $MAFIO_PLUGINS"
check "-input=file -filepath=X follows X and picks filereader:$tag"
"$MAFIO" -input=file -filepath="$X" >"$TMP/tail.out" 2>"$ERR" &
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
