#!/usr/bin/env bash
# Plugins compiled against FROZEN headers of older minors (test/abi/plugin_1_0.h and
# plugin_1_1.h, plain C99, never rebuilt against the current headers) still load and work in the
# current host, beside plugins built for the current minor. This is the run-time half of the ABI
# rule; test/unit/test_abi_layout.cpp is the compile-time half.
#   1. -list-plugins and -describe accept them (descriptor read across the versions).
#   2. stdin -> frozen_1_0 -> stdout: every line comes out prefixed "1.0:", in order, byte for
#      byte (the filter uses batch_reserve and rewrites records: batch/record/host layouts).
#   3. its start() log line reaches the agent's log (host->log through the 1.0 table).
#   4. an option it does not take is refused through set_error, exit 1, with the instance path.
#   5. One run with all three minors: inputs stdin (1.2) and frozen_1_1 (1.1), filter frozen_1_0
#      (1.0), output stdout (1.2). Every record of both inputs comes out once, through the 1.0
#      filter, in order per input; the 1.1 input read the 1.1 member max_batch_records (a value
#      within the channel bounds, not the neighbouring bytes).
#   6. A restart with the same data dir resumes the 1.1 input from its own checkpoint
#      (mafio_checkpoint, start_args, stream and the "mafio.legacy/<name>" format of a plugin
#      that declares none): only the records after it come out.
. "$(dirname "$0")/lib.sh"

for minor in 0 1; do
    frozen="$MAFIO_TEST_PLUGINS/frozen_1_$minor-V1.so"
    [ -f "$frozen" ] || fail "$frozen is missing (built by test/abi)"
    check "frozen_1_$minor exports only the entry function"
    syms="$(nm -D --defined-only "$frozen" | awk '{print $NF}')"
    [ "$syms" = "mafio_plugin_entry_v1" ] || fail "frozen_1_$minor exports: $syms"
done
make_plugins_dir frozen_1_0-V1 frozen_1_1-V1

expect_exit 0 "$MAFIO" -plugins-dir "$PLUGDIR" -list-plugins
for entry in frozen_1_0:V1:filter frozen_1_1:V1:input; do
    id="${entry%:*}" kind="${entry##*:}"
    check "-list-plugins shows $id as $kind, not refused"
    grep -A2 "^$id" "$OUT" | grep -q "kind: *$kind" || fail "$id not listed as $kind: $(cat "$OUT")"
    grep -A1 "^$id" "$OUT" | grep -q 'refused' && fail "refused: $(grep -A1 "^$id" "$OUT")"
done

expect_exit 0 "$MAFIO" -plugins-dir "$PLUGDIR" -describe frozen_1_0:V1
expect_stdout_contains "frozen_1_0:V1" "frozen ABI 1.0 header"
expect_exit 0 "$MAFIO" -plugins-dir "$PLUGDIR" -describe frozen_1_1:V1
expect_stdout_contains "frozen_1_1:V1" "frozen ABI 1.1 header"

seq 1 20000 | sed 's/^/line /' >"$TMP/in.txt"
sed 's/^/1.0:/' "$TMP/in.txt" >"$TMP/expected.txt"
check "stdin -> frozen_1_0 -> stdout prefixes every line"
run "$MAFIO" -plugins-dir "$PLUGDIR" -filter=frozen_1_0:V1 <"$TMP/in.txt"
[ "$RC" -eq 0 ] || fail "exit code $(_describe_rc "$RC")"
expect_same_file "$TMP/expected.txt" "$OUT" "output through the 1.0 plugin"
expect_stderr_contains "frozen ABI 1.0 plugin started"

check "an option the 1.0 plugin does not take is refused with its path"
run "$MAFIO" -plugins-dir "$PLUGDIR" -filter=frozen_1_0:V1 \
    -f '{"filters":[{"plugin":"frozen_1_0:V1","color":"red"}]}' <"$TMP/in.txt"
[ "$RC" -eq 1 ] || fail "expected exit 1, got $(_describe_rc "$RC")"
expect_stderr_contains "filters[0]" "takes no options"
[ -s "$OUT" ] && fail "records were written although the configuration was refused"

# ---- 1.0, 1.1 and 1.2 plugins in one run ----------------------------------------------------
# all_minors COUNT: stdin (1.2) and frozen_1_1 (1.1, "1.1:1".."1.1:COUNT") through frozen_1_0
# (1.0) to stdout (1.2), with the data dir kept between runs. The channel bounds make the
# records-per-batch hint small (a few hundred at most), so that a hint read from the wrong
# offset (0, or a pointer's bytes) shows.
all_minors() {
    run "$MAFIO" -plugins-dir "$PLUGDIR" -data-dir "$TMP/data" -http-address=off \
        -max-read-channel-size=400 -max-write-channel-size=800 \
        -f '{"inputs":[{"plugin":"stdin"},{"plugin":"frozen_1_1:V1","count":'"$1"'}],
             "filters":[{"plugin":"frozen_1_0:V1"}],"outputs":[{"plugin":"stdout"}]}'
}
seq 1 5000 | sed 's/^/stdin /' >"$TMP/stdin.txt"
check "stdin (1.2) and frozen_1_1 (1.1) -> frozen_1_0 (1.0) -> stdout (1.2)"
all_minors 3000 <"$TMP/stdin.txt"
[ "$RC" -eq 0 ] || fail "exit code $(_describe_rc "$RC"): $(tail -n 5 "$ERR")"
expect_stderr_contains "frozen ABI 1.0 plugin started" "frozen ABI 1.1 plugin started"
# Order is kept per input, not across them: compare each input's records on their own.
sed 's/^/1.0:/' "$TMP/stdin.txt" >"$TMP/expected-stdin.txt"
grep -v '^1\.0:1\.1:' "$OUT" >"$TMP/got-stdin.txt"
expect_same_file "$TMP/expected-stdin.txt" "$TMP/got-stdin.txt" "stdin's records through the 1.0 filter"
seq 1 3000 | sed 's/^/1.0:1.1:/' >"$TMP/expected-1.1.txt"
grep '^1\.0:1\.1:' "$OUT" >"$TMP/got-1.1.txt"
expect_same_file "$TMP/expected-1.1.txt" "$TMP/got-1.1.txt" "the 1.1 input's records through the 1.0 filter"
check "the 1.1 input read max_batch_records at its 1.1 offset"
hint="$(sed -n 's/.*frozen ABI 1.1 plugin started: max_batch_records=\([0-9]*\),.*/\1/p' "$ERR")"
[ -n "$hint" ] || fail "no max_batch_records in the 1.1 plugin's log line: $(grep 'frozen ABI 1.1' "$ERR")"
[ "$hint" -ge 1 ] && [ "$hint" -le 400 ] ||
    fail "max_batch_records=$hint, expected 1..400 (a hint within -max-read-channel-size)"
expect_stderr_contains "resuming at record 1"

check "a restart resumes the 1.1 input from its own checkpoint"
all_minors 5000 <"$TMP/stdin.txt"
[ "$RC" -eq 0 ] || fail "exit code $(_describe_rc "$RC"): $(tail -n 5 "$ERR")"
expect_stderr_contains "resuming at record 3001"
seq 3001 5000 | sed 's/^/1.0:1.1:/' >"$TMP/expected-1.1.txt"
grep '^1\.0:1\.1:' "$OUT" >"$TMP/got-1.1.txt"
expect_same_file "$TMP/expected-1.1.txt" "$TMP/got-1.1.txt" "the 1.1 input's records after the restart"

pass
