#!/usr/bin/env bash
# etcd discovery off and unreachable (issue 12). The bare default endpoint means "off": nothing
# is said above debug level and no connection is tried. An explicit endpoint where no etcd
# answers never stops the data: one warning says so. Malformed etcd settings are refused
# naming the flag or key. (No etcd is started here.)
. "$(dirname "$0")/lib.sh"
export MAFIO_PLUGINS_DIR="$MAFIO_PLUGINS"

printf 'one\n' >"$TMP/in"

check "the default endpoint alone: discovery off, data flows, etcd not mentioned at info level"
expect_exit 0 sh -c "\"$MAFIO\" -http-address off -data-dir \"$TMP/d0\" <\"$TMP/in\""
expect_stdout_contains "one"
if grep -qi 'etcd' "$ERR"; then fail "etcd mentioned without being configured: $(grep -i etcd "$ERR")"; fi
expect_exit 0 sh -c "\"$MAFIO\" -log-level debug -http-address off -data-dir \"$TMP/d0\" <\"$TMP/in\""
expect_stderr_contains "etcd discovery is off"

check "an explicit endpoint where nothing answers: the data flows, one warning says why"
NOBODY="127.0.0.1:$(free_port)"
expect_exit 0 sh -c "\"$MAFIO\" -http-address off -data-dir \"$TMP/d1\" -etcd-endpoint $NOBODY <\"$TMP/in\""
expect_stdout_contains "one"
expect_stderr_contains "etcd ($NOBODY) cannot be reached at start"
expect_stderr_contains "running with the local configuration"
[ "$(grep -c ' warn ' "$ERR")" -eq 1 ] || fail "expected one warning, got: $(grep -i etcd "$ERR")"

check "malformed etcd settings are refused, naming the flag or key"
expect_exit 1 "$MAFIO" -etcd-endpoint nonsense
expect_stderr_contains "-etcd-endpoint"
expect_exit 1 "$MAFIO" -f '{"etcd":{"endpoints":"127.0.0.1:1,nope"}}'
expect_stderr_contains "etcd.endpoints"
expect_exit 1 "$MAFIO" -f '{"etcd":{"lease_ttl":"1s"}}'
expect_stderr_contains "etcd.lease_ttl"
expect_exit 1 "$MAFIO" -f '{"etcd":{"prefix":"mafio"}}'
expect_stderr_contains "etcd.prefix"
pass
