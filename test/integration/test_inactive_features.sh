#!/usr/bin/env bash
# Flags of features this build does not have yet (etcd registration) are parsed and validated,
# and an operator who sets one is told in one log line that it is not active: never silence.
. "$(dirname "$0")/lib.sh"

printf 'one\n' >"$TMP/in"

check "an explicit -etcd-endpoint: data still flows and one info line says etcd is not active"
expect_exit 0 sh -c "\"$MAFIO\" -http-address off -etcd-endpoint 127.0.0.1:2379 <\"$TMP/in\""
expect_stdout_contains "one"
expect_stderr_contains "etcd registration (127.0.0.1:2379) is not active in this build"
[ "$(grep -ci 'etcd' "$ERR")" -eq 1 ] || fail "expected exactly one etcd line, got: $(grep -i etcd "$ERR")"

check "the default endpoint alone is not reported at info level"
expect_exit 0 sh -c "\"$MAFIO\" -http-address off <\"$TMP/in\""
if grep -qi 'etcd' "$ERR"; then fail "etcd mentioned without being configured: $(grep -i etcd "$ERR")"; fi

check "a malformed endpoint is refused, naming the flag"
expect_exit 1 "$MAFIO" -etcd-endpoint nonsense
expect_stderr_contains "-etcd-endpoint"

pass
