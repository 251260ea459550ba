#!/usr/bin/env bash
# The original agent's TOML config, written in its format (agent.conf plus per-plugin JSON option
# files named by "@pluginName", listed relative to agent.conf), runs unchanged:
#   1. filereader:V2 -> valid -> logr, all from agent.conf and its conf/*.json, started from
#      another working directory: every line arrives; send_interval gets a warning naming
#      agent.conf:LINE:COL; ${NAME} works in an option file.
#   2. -input=filereader:V1 takes the options of V1's own file (the original's downgrade).
#   3. -m-id sets the agent id (seen in the API's /version), over agent_id in the file.
#   4. Errors name agent.conf:LINE:COL (TOML syntax, unknown key with the nearest known one).
. "$(dirname "$0")/lib.sh"
MAFIO_TEST_TIMEOUT=60

E="$TMP/etc"
D="$TMP/data"
mkdir -p "$E/conf" "$D"
seq 1 500 | sed 's/^/a-/' >"$D/a.log"
seq 1 300 | sed 's/^/b-/' >"$D/b.log"
seq 1 50 | sed 's/^/one-/' >"$TMP/one.log"

cat >"$E/agent.conf" <<CONF
# agent.conf in the original agent's format
agent_id = "sky07"
agent_group = "net03"
http_address = "off"
max_write_channel_size = 1024
max_write_bulk_size = 100
send_interval = 3
input = "filereader:V2"
filter = "valid"
output = "logr"
plugins_config_paths = ["conf/filereader_v1.json", "conf/filereader_v2.json", "conf/logr.json"]
CONF
cat >"$E/conf/filereader_v2.json" <<JSON
{"@pluginName": "filereader:V2", "path": "$D/*.log", "exit_on_eof": true}
JSON
cat >"$E/conf/filereader_v1.json" <<JSON
{"@pluginName": "filereader:V1", "path": "$TMP/one.log", "exit_on_eof": true}
JSON
cat >"$E/conf/logr.json" <<'JSON'
{
  "@pluginName": "logr",
  // the output directory comes from the environment
  "path": "${MAFIO_TEST_OUT_DIR}/out.log",
}
JSON
export MAFIO_TEST_OUT_DIR="$TMP/out"
mkdir -p "$MAFIO_TEST_OUT_DIR"

# 1. From / so that the relative option-file paths must be resolved against agent.conf.
log "---- run 1: agent.conf as written"
(cd / && MAFIO_TEST_TIMEOUT=$MAFIO_TEST_TIMEOUT expect_exit 0 "$MAFIO" -config "$E/agent.conf" \
    -plugins-dir "$MAFIO_PLUGINS" -data-dir "$TMP/state1") || exit 1
check "every line of a.log and b.log arrived in out.log, once"
cat "$D/a.log" "$D/b.log" | sort >"$TMP/expected"
sort "$TMP/out/out.log" >"$TMP/got"
cmp -s "$TMP/expected" "$TMP/got" || fail "out.log differs: $(wc -l <"$TMP/got") lines, expected 800"
expect_stderr_matches "agent\.conf:7:1: send_interval has no meaning in mafio and is ignored"

# 2. The downgrade flag picks filereader:V1's own option file.
log "---- run 2: -input=filereader:V1"
rm -f "$TMP/out/out.log"
expect_exit 0 "$MAFIO" -config "$E/agent.conf" -input=filereader:V1 \
    -plugins-dir "$MAFIO_PLUGINS" -data-dir "$TMP/state2"
check "out.log holds one.log's 50 lines (V1's file), nothing of a.log or b.log"
cmp -s "$TMP/one.log" "$TMP/out/out.log" || fail "out.log: $(head -n 3 "$TMP/out/out.log")"

# 3. -m-id, with stdin (idle) as the input so that the agent stays up for the API.
PORT="$(free_port)"
open_idle_stdin
log "---- run 3: -m-id=edge9 -m-group=grp9"
"$MAFIO" -config "$E/agent.conf" -m-id=edge9 -m-group=grp9 -input=stdin \
    -http-address "127.0.0.1:$PORT" -plugins-dir "$MAFIO_PLUGINS" -data-dir "$TMP/state3" \
    <"$IDLE_STDIN" >"$OUT" 2>"$ERR" &
AGENT=$!
BG_PIDS+=("$AGENT")
api_up() { curl -s -o "$TMP/version.json" "http://127.0.0.1:$PORT/version"; }
wait_until "the API answers" api_up
check "/version shows the id and group given by -m-id/-m-group"
grep -qE '"id": *"edge9"' "$TMP/version.json" || fail "/version: $(cat "$TMP/version.json")"
grep -qE '"group": *"grp9"' "$TMP/version.json" || fail "/version: $(cat "$TMP/version.json")"
kill -TERM "$AGENT"
wait_exit "$AGENT"
[ "$RC" -eq 0 ] || fail "the agent exited $(_describe_rc "$RC") on SIGTERM"

# 4. Errors name the file, line and column.
printf 'agent_id = "sky07"\nagnet_group = "net03"\n' >"$E/typo.conf"
expect_exit 1 "$MAFIO" -config "$E/typo.conf"
expect_stderr_contains "$E/typo.conf:2:1: agnet_group: unknown key; did you mean \"agent_group\"?"
printf 'agent_id = "sky07"\ninput = [ "stdin",\n' >"$E/syntax.conf"
expect_exit 1 "$MAFIO" -config "$E/syntax.conf"
expect_stderr_matches "syntax\.conf:[23]:[0-9]+: "
printf 'output = "logr"\nplugins_config_paths = ["conf/missing.json"]\n' >"$E/missing.conf"
expect_exit 1 "$MAFIO" -config "$E/missing.conf"
expect_stderr_contains "$E/conf/missing.json: No such file or directory (listed in $E/missing.conf:2:25)"

pass
