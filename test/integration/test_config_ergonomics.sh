#!/usr/bin/env bash
# Config ergonomics end to end: a JSON config with comments, trailing commas and ${NAME} /
# ${NAME:-default} runs as meant; $${ stays a literal; an unset variable without default is
# refused naming it; -config given twice is refused instead of reading only the last.
. "$(dirname "$0")/lib.sh"
MAFIO_TEST_TIMEOUT=60

mkdir -p "$TMP/out"
cat >"$TMP/mafio.json" <<'JSON'
// one config for every host: the output directory comes from the environment
{
  "log_level": "${MAFIO_TEST_LEVEL:-warn}",
  "http": {"address": "off"},
  "inputs": [{"plugin": "stdin"}],
  /* no filter: empty lines pass too
  "filters": [{"plugin": "valid"}], */
  "filters": [],
  "outputs": [
    {"plugin": "logr", "path": "${MAFIO_TEST_OUT}/$${literal}.log",},
  ],
}
JSON
export MAFIO_TEST_OUT="$TMP/out"
unset MAFIO_TEST_LEVEL
printf 'one\n\ntwo\n' | MAFIO_TEST_TIMEOUT=$MAFIO_TEST_TIMEOUT \
    expect_exit 0 "$MAFIO" -config "$TMP/mafio.json" -plugins-dir "$MAFIO_PLUGINS" \
    -data-dir "$TMP/state" </dev/stdin
check "the output went to \$MAFIO_TEST_OUT/\${literal}.log with every line"
[ -f "$TMP/out/\${literal}.log" ] || fail "no ${TMP}/out/\${literal}.log: $(ls "$TMP/out")"
[ "$(cat "$TMP/out/\${literal}.log")" = $'one\n\ntwo' ] || fail "got: $(cat "$TMP/out/\${literal}.log")"
check "log_level came from the default (warn): no info lines"
! grep -q ' info ' "$ERR" || fail "info lines were logged: $(head -n 3 "$ERR")"

unset MAFIO_TEST_OUT
expect_exit 1 "$MAFIO" -config "$TMP/mafio.json" </dev/null
expect_stderr_contains "mafio.json:10:33: outputs[0].path: environment variable MAFIO_TEST_OUT is not set"

printf '{}' >"$TMP/other.json"
expect_exit 1 "$MAFIO" -config "$TMP/mafio.json" -config "$TMP/other.json" </dev/null
expect_stderr_contains "-config: given twice"

pass
