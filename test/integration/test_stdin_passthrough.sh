#!/usr/bin/env bash
# The default pipeline (stdin -> valid -> stdout, no flags) reproduces its input byte for byte,
# and exits 0 at stdin's EOF.
#   1. `seq 1 1000000 | mafio` == seq's output (through a real pipe).
#   2. Long lines (up to ~1,000,000 bytes, under the 1 MiB max_line_bytes default) and a last line
#      without a trailing newline: the output is the input plus one final "\n" (DOCUMENTED
#      BEHAVIOUR: a record is written as one line, so an unterminated last line gets its newline).
#   3. A line longer than max_line_bytes (1 MiB) is truncated, not merged with the next line: the
#      output has exactly 2 lines, the first a non-empty prefix of the long line, then "next".
. "$(dirname "$0")/lib.sh"

# 1. A million numbered lines through a pipe.
seq 1 1000000 >"$TMP/seq.txt"
check "seq 1 1000000 | mafio: exit 0 and identical bytes"
seq 1 1000000 | timeout -k 10 "$MAFIO_TEST_TIMEOUT" "$MAFIO" >"$TMP/seq.out" 2>"$ERR"
st=("${PIPESTATUS[@]}")
RC=${st[1]}
[ "$RC" -eq 0 ] || fail "mafio exited $(_describe_rc "$RC") (seq: ${st[0]})"
expect_same_file "$TMP/seq.txt" "$TMP/seq.out" "stdout of seq 1 1000000 | mafio"

# 2. Long lines, the last one without a newline.
{
    head -c 100000 /dev/zero | tr '\0' a
    printf '\n'
    printf 'short line\n'
    head -c 1000000 /dev/zero | tr '\0' b
    printf '\n'
    head -c 999 /dev/zero | tr '\0' c
    printf '\n'
    head -c 300000 /dev/zero | tr '\0' d # no trailing newline
} >"$TMP/long.txt"
{ cat "$TMP/long.txt"; printf '\n'; } >"$TMP/long.expected"
expect_exit 0 "$MAFIO" <"$TMP/long.txt"
expect_same_file "$TMP/long.expected" "$OUT" "stdout for long lines + unterminated last line"

# 3. A line over the 1 MiB limit is truncated and stays one record.
{
    head -c $((1048576 + 4096)) /dev/zero | tr '\0' x
    printf '\nnext\n'
} >"$TMP/toolong.txt"
expect_exit 0 "$MAFIO" <"$TMP/toolong.txt"
check "an over-long line is truncated into one record and not merged with the next"
lines=$(wc -l <"$OUT")
[ "$lines" -eq 2 ] || fail "expected 2 output lines (truncated line, \"next\"), got $lines"
[ "$(sed -n 2p "$OUT")" = "next" ] || fail "second output line is not \"next\""
first_len=$(head -n 1 "$OUT" | tr -d '\n' | wc -c)
[ "$first_len" -gt 0 ] && [ "$first_len" -le 1048576 ] ||
    fail "truncated line has $first_len bytes, expected 1..1048576"
[ -z "$(head -n 1 "$OUT" | tr -d 'x\n')" ] || fail "truncated line contains bytes other than the input's"
log "truncated line kept $first_len of $((1048576 + 4096)) bytes"

pass
