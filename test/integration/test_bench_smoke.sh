#!/usr/bin/env bash
# `make bench`'s harness (test/bench/run.sh) works end to end on tiny data: every scenario runs,
# every output is checked byte for byte by the harness itself (it exits 1 on a mismatch), and
# one table row per scenario and tool comes out. Timings are printed, never judged.
. "$(dirname "$0")/lib.sh"

: "${MAFIO_BUILD_DIR:?MAFIO_BUILD_DIR must point to the build tree (ctest sets it)}"
[ -x "$MAFIO_BUILD_DIR/bin/mafio_bench_gen" ] || fail "mafio_bench_gen was not built"

check "run.sh on 300K of data (and 20,000 lines for the many-file scenarios), 1 run, exits 0"
BENCH_SIZES=300K BENCH_RUNS=1 BENCH_MICRO=0 BENCH_SYSLOG_MESSAGES=20000 BENCH_RMQ_RECORDS=2000 BENCH_DIR="$TMP" BENCH_MANY_LINES=20000 \
    timeout -k 10 "$MAFIO_TEST_TIMEOUT" bash "$MAFIO_SOURCE_DIR/test/bench/run.sh" \
    "$MAFIO_BUILD_DIR" >"$OUT" 2>"$ERR"
RC=$?
[ "$RC" -eq 0 ] || fail "run.sh exited $RC"

check "the table has a limit row and a mafio row for each of the 11 scenarios"
[ "$(grep -c '^| .*| limit ' "$OUT")" -eq 11 ] || fail "expected 11 limit rows: $(cat "$OUT")"
[ "$(grep -c '^| .*| mafio ' "$OUT")" -eq 11 ] || fail "expected 11 mafio rows: $(cat "$OUT")"
for s in "stdin -> stdout" "file -> stdout" "file -> valid -> logr" "stdin -> valid -> stdout,logr" \
    "file -> http (raw, local sink)" "stdin nginx -> parser -> stdout" \
    "stdin nginx -> parser -> modify -> logr json" "stdin JSON -> grep -> stdout"; do
    grep -qF -- "$s (300K)" "$OUT" || fail "no row for \"$s\": $(cat "$OUT")"
done
for s in "V2 1 file x 20000 lines -> logr" "V2 1000 files x 20 lines -> logr" "V2 5000 files x 4 lines -> logr"; do
    grep -qF -- "| $s " "$OUT" || fail "no row for \"$s\": $(cat "$OUT")"
done
check "the syslog-tcp scenario prints its figures for both formats"
for f in raw json; do
    grep -qE "^syslog-tcp \($f\): 20000 messages .* records/s .* ns CPU per record" "$OUT" ||
        fail "no syslog-tcp ($f) line: $(cat "$OUT")"
done
check "the file-rabbitmq scenario (a private broker node) prints its row"
grep -qE "file -> rabbitmq:V1 \(2000 records\)" "$OUT" || fail "no file-rabbitmq row: $(cat "$OUT") $(tail -5 "$ERR")"
check "the many-file scenarios are compared with the one-file scenario"
grep -qF "V2 5000 files x 4 lines -> logr: CPU per line" "$OUT" || fail "no comparison line: $(cat "$OUT")"

check "mafio_bench_linesum tells the same lines in another order from different lines"
printf 'a\nb\nc\n' >"$TMP/l1"
printf 'c\na\nb\n' >"$TMP/l2"
printf 'a\nb\nb\n' >"$TMP/l3"
[ "$("$MAFIO_BUILD_DIR/bin/mafio_bench_linesum" "$TMP/l1")" = "$("$MAFIO_BUILD_DIR/bin/mafio_bench_linesum" "$TMP/l2")" ] ||
    fail "the same lines in another order give other sums"
[ "$("$MAFIO_BUILD_DIR/bin/mafio_bench_linesum" "$TMP/l1")" != "$("$MAFIO_BUILD_DIR/bin/mafio_bench_linesum" "$TMP/l3")" ] ||
    fail "a doubled line instead of another gives the same sums"

check "the generator is deterministic and writes whole lines of the requested size"
"$MAFIO_BUILD_DIR/bin/mafio_bench_gen" 100K >"$TMP/a" && "$MAFIO_BUILD_DIR/bin/mafio_bench_gen" 100K >"$TMP/b" ||
    fail "mafio_bench_gen failed"
cmp -s "$TMP/a" "$TMP/b" || fail "two runs of mafio_bench_gen 100K differ"
size=$(stat -c %s "$TMP/a")
[ "$size" -ge 102400 ] && [ "$size" -lt $((102400 + 9000)) ] || fail "100K gave $size bytes"
[ "$(tail -c 1 "$TMP/a" | od -An -c | tr -d ' ')" = '\n' ] || fail "the last line has no newline"

pass
