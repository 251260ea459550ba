#!/usr/bin/env bash
# Malformed configurations are refused before anything starts: exit 1, one clear message, no
# crash. Syntax errors name the file (or "-f") and line:col; unknown keys and wrong types name
# the JSON path (and, for unknown keys, the nearest known key); an unset ${VARIABLE} names
# itself, file:line:col and the JSON path.
# "Nothing started" is checked two ways: stdin is a FIFO that never sends EOF (a started agent
# would hang and the bounded run would fail), and configs name a logr output whose file must not
# appear.
. "$(dirname "$0")/lib.sh"
MAFIO_TEST_TIMEOUT=30

open_idle_stdin
C="$TMP/cfg"
mkdir -p "$C"
P="$TMP/must-not-exist.log"

refused() { # exit 1, no output file, log lines well-formed
    expect_exit 1 "$@"
    check "nothing started: $P was not created, stdout is empty"
    [ ! -e "$P" ] || fail "$P exists: an output was started"
    [ ! -s "$OUT" ] || fail "stdout is not empty: $(head -c 200 "$OUT")"
}
with_config() { # NAME CONTENT: writes $C/NAME and runs mafio -config on it
    printf '%s' "$2" >"$C/$1"
    log "---- -config $1"
    refused "$MAFIO" -config "$C/$1" <"$IDLE_STDIN"
    expect_log_format
}

# --- syntax errors: file:line:col
with_config empty.json ''
check "the message names empty.json and says it is empty or gives line:col"
grep -qF "empty.json" "$ERR" || fail "the message does not name empty.json"
grep -qiE 'empty|empty\.json:[0-9]+:[0-9]+' "$ERR" || fail "no line:col and no \"empty\""

with_config truncated.json '{
  "inputs": [{"plugin": "stdin"}],
  "outputs": [
    {"plugin": "logr", "path": "'"$P"'"
'
expect_stderr_matches 'truncated\.json:[45]:[0-9]+'

# (One trailing comma is accepted, as are comments; two commas are not.)
with_config double_comma_array.json '{
  "inputs": [{"plugin": "stdin"}],
  "outputs": [{"plugin": "logr", "path": "'"$P"'"},,],
  "log_level": "info"
}
'
expect_stderr_matches 'double_comma_array\.json:3:[0-9]+'

with_config unclosed_comment.json '{
  "outputs": [{"plugin": "logr", "path": "'"$P"'"}],
  /* "log_level": "info",
}
'
expect_stderr_matches 'unclosed_comment\.json:[0-9]+:[0-9]+'

# --- an unset environment variable: named, with file:line:col and the JSON path
unset MAFIO_TEST_UNSET_VAR
with_config unset_env.json '{
  "outputs": [{"plugin": "logr", "path": "${MAFIO_TEST_UNSET_VAR}/x.log"}]
}
'
expect_stderr_contains "unset_env.json:2:43: outputs[0].path: environment variable MAFIO_TEST_UNSET_VAR is not set"

with_config garbage.json 'log_level = info
'
expect_stderr_matches 'garbage\.json:1:[0-9]+'

# --- unknown keys: JSON path and the nearest known key
with_config unknown_top.json '{"outptus": [{"plugin": "logr", "path": "'"$P"'"}]}'
expect_stderr_contains "outptus" "outputs"

with_config unknown_nested.json '{"channels": {"read_sise": 16}, "outputs": [{"plugin": "logr", "path": "'"$P"'"}]}'
expect_stderr_contains "channels.read_sise" "read_size"

with_config unknown_plugin_option.json '{"outputs": [{"plugin": "logr", "path": "'"$P"'", "max_sise": "1MiB"}]}'
expect_stderr_contains "outputs[0].max_sise" "max_size"

# --- wrong types: JSON path
with_config wrong_type_int.json '{"channels": {"read_size": "big"}, "outputs": [{"plugin": "logr", "path": "'"$P"'"}]}'
expect_stderr_contains "channels.read_size"

with_config wrong_type_array.json '{"outputs": {"plugin": "logr", "path": "'"$P"'"}}'
expect_stderr_contains "outputs" "array"

with_config wrong_type_plugin.json '{"inputs": [{"plugin": 5}], "outputs": [{"plugin": "logr", "path": "'"$P"'"}]}'
expect_stderr_contains "inputs[0].plugin"

with_config wrong_type_plugin_option.json '{"outputs": [{"plugin": "logr", "path": "'"$P"'", "max_files": "many"}]}'
expect_stderr_contains "outputs[0].max_files"

with_config wrong_value_level.json '{"log_level": "loud", "outputs": [{"plugin": "logr", "path": "'"$P"'"}]}'
expect_stderr_contains "log_level" "loud"

with_config wrong_value_grace.json '{"shutdown_grace": "soon", "outputs": [{"plugin": "logr", "path": "'"$P"'"}]}'
expect_stderr_contains "shutdown_grace"

with_config not_object.json '[1, 2, 3]'
expect_stderr_contains "object"

# --- 10k-deep nesting: refused, never a stack overflow
deep_open="$(head -c 10000 /dev/zero | tr '\0' '[')"
deep_close="$(head -c 10000 /dev/zero | tr '\0' ']')"
with_config deep_array.json "$deep_open$deep_close"
with_config deep_array_unclosed.json "$deep_open"
deep_obj="$(for ((i = 0; i < 10000; i++)); do printf '{"a":'; done; printf '1'; head -c 10000 /dev/zero | tr '\0' '}')"
with_config deep_object.json "$deep_obj"
deep_inner='{"outputs": [{"plugin": "logr", "path": "'"$P"'", "x": '"$deep_open$deep_close"'}]}'
with_config deep_in_plugin_options.json "$deep_inner"

# --- -f with bad JSON: "-f" and line:col
log "---- -f bad JSON"
refused "$MAFIO" -f '{"inputs": [}' <"$IDLE_STDIN"
expect_log_format
expect_stderr_contains "-f"
expect_stderr_matches '1:[0-9]+'
log "---- -f two commas on line 3"
refused "$MAFIO" -f $'{\n  "log_level": "info",\n,}' <"$IDLE_STDIN"
expect_stderr_matches '3:[0-9]+'
log "---- -f 10k-deep"
refused "$MAFIO" -f "$deep_open$deep_close" <"$IDLE_STDIN"
log "---- -f unknown key"
refused "$MAFIO" -f '{"outputs": [{"plugin": "logr", "path": "'"$P"'"}], "inputz": []}' <"$IDLE_STDIN"
expect_stderr_contains "inputz"

# --- missing file, bad flags
log "---- -config of a missing file"
refused "$MAFIO" -config "$C/no-such-file.json" <"$IDLE_STDIN"
expect_stderr_contains "$C/no-such-file.json"
log "---- bad flag values"
refused "$MAFIO" -max-write-bulk-size=lots <"$IDLE_STDIN"
expect_stderr_contains "max-write-bulk-size"
refused "$MAFIO" -no-such-flag <"$IDLE_STDIN"
expect_stderr_contains "no-such-flag"

pass
