#!/usr/bin/env bash
# A plugin compiled against the FROZEN ABI 1.0 header (test/abi/plugin_1_0.h, plain C99, never
# rebuilt against the current plugin.h) still loads and works in the current host. This is the
# run-time half of the ABI rule; test/unit/test_abi_layout.cpp is the compile-time half.
#   1. -list-plugins and -describe accept it (descriptor read across the versions).
#   2. stdin -> frozen_1_0 -> stdout: every line comes out prefixed "1.0:", in order, byte for
#      byte (the filter uses batch_reserve and rewrites records: batch/record/host layouts).
#   3. its start() log line reaches the agent's log (host->log through the 1.0 table).
#   4. an option it does not take is refused through set_error, exit 1, with the instance path.
. "$(dirname "$0")/lib.sh"

FROZEN="$MAFIO_TEST_PLUGINS/frozen_1_0-V1.so"
[ -f "$FROZEN" ] || fail "$FROZEN is missing (built by test/abi)"
make_plugins_dir frozen_1_0-V1

check "the frozen plugin exports only the entry function"
syms="$(nm -D --defined-only "$FROZEN" | awk '{print $NF}')"
[ "$syms" = "mafio_plugin_entry_v1" ] || fail "exported symbols: $syms"

expect_exit 0 "$MAFIO" -plugins-dir "$PLUGDIR" -list-plugins
check "-list-plugins shows frozen_1_0:V1 as a filter, not refused"
grep -A2 '^frozen_1_0:V1' "$OUT" | grep -q 'kind: *filter' || fail "not listed as a filter: $(cat "$OUT")"
grep -A1 '^frozen_1_0:V1' "$OUT" | grep -q 'refused' && fail "refused: $(grep -A1 '^frozen_1_0:V1' "$OUT")"

expect_exit 0 "$MAFIO" -plugins-dir "$PLUGDIR" -describe frozen_1_0:V1
expect_stdout_contains "frozen_1_0:V1" "frozen ABI 1.0 header"

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

pass
