#!/usr/bin/env bash
# The agent never loads a plugin its configuration does not name; -list-plugins, -describe and
# GET /plugins inspect plugin files in child processes, so a broken .so in the plugins directory
# costs one line of a listing, never the agent.
#   1. -list-plugins over a directory with plugins that segfault in a constructor or in their
#      entry function, one that hangs in its entry function and one built for another
#      architecture: exit 0, each named with what happened ("crashed while loading: signal 11",
#      "did not finish loading"), the good plugins listed in full.
#   2. The agent with the HTTP API on (the default) and those files in its plugins directory
#      runs stdin -> stdout to the end (exit 0, every line out): before, it dlopened every file
#      at start for /plugins and died with exit 139. GET /plugins shows them as refused with the
#      same words, and the loaded plugins.
#   3. A file added to the directory while the agent runs shows up in GET /plugins (the listing
#      is inspected again when the directory changes).
#   4. -describe of a plugin that crashes while loading: exit 1, the file and the crash named.
#   5. -describe of real plugins: required options marked, sizes, durations and enums with their
#      values, a config snippet that the agent accepts.
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null || fail "python3 is needed (packaging/install-deps.sh installs it)"

make_plugins_dir crashctor-V1 crashentry-V1 hangentry-V1 wrongarch-V1 slow-V1
BROKEN="$PLUGDIR"

# 1. -list-plugins
log "---- -list-plugins over crashing, hanging and foreign plugins"
expect_exit 0 "$MAFIO" -plugins-dir "$BROKEN" -list-plugins
block() { awk -v h="$1" '$0 == h { on = 1; print; next } /^[^ ]/ { on = 0 } on' "$OUT"; }
for fx in crashctor crashentry; do
    check "$fx:V1 is listed as crashed while loading, with signal 11"
    block "$fx:V1" | grep -qF "crashed while loading: signal 11 (SIGSEGV)" ||
        fail "$fx:V1: $(block "$fx:V1")"
    block "$fx:V1" | grep -qF "$BROKEN/$fx-V1.so" || fail "$fx:V1 without its path"
done
check "hangentry:V1 is listed as not finishing its load"
block hangentry:V1 | grep -qF "did not finish loading" || fail "hangentry:V1: $(block hangentry:V1)"
check "wrongarch:V1 says what it was built for"
block wrongarch:V1 | grep -qE "built for .+, this host is " || fail "wrongarch:V1: $(block wrongarch:V1)"
check "the good plugins are listed in full"
block slow:V1 | grep -qE "kind: +output" || fail "slow:V1: $(block slow:V1)"
block stdin:V1 | grep -qE "kind: +input" || fail "stdin:V1: $(block stdin:V1)"
block stdin:V1 | grep -qE "plugin ABI 1\.[0-9]+" || fail "stdin:V1 without its ABI: $(block stdin:V1)"

# 2. The agent with the API on, over that directory.
PORT="$(free_port)"
BASE="http://127.0.0.1:$PORT"
seq 1 50000 >"$TMP/input"
mkfifo "$TMP/in.fifo"
log "---- the agent with the HTTP API on and broken files in its plugins directory"
"$MAFIO" -http-address "127.0.0.1:$PORT" -plugins-dir "$BROKEN" -data-dir "$TMP/data" \
    <"$TMP/in.fifo" >"$TMP/out" 2>"$ERR" &
AGENT=$!
BG_PIDS+=("$AGENT")
exec 8>"$TMP/in.fifo" # the agent's input stays open until the API checks are done
head -n 1000 "$TMP/input" >&8

api_up() { curl -s -o /dev/null "$BASE/health"; }
wait_until "the API answers on $BASE" api_up
# The listing is inspected in the background; a request waits a bounded time for it and
# otherwise says "pending" or "refreshing".
plugins_current() {
    curl -s "$BASE/plugins" >"$TMP/plugins.json" &&
        python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1]))["available_state"] != "current")' \
            "$TMP/plugins.json"
}
wait_until "GET /plugins has a current listing" plugins_current
python3 - "$TMP/plugins.json" "$BROKEN" <<'PY' || fail "GET /plugins: $(head -c 2000 "$TMP/plugins.json")"
import json, sys
p = json.load(open(sys.argv[1]))
d = sys.argv[2]
avail = {(x["name"], x["tag"]): x for x in p["available"]}
def expect(ok, what):
    print(f"[test_plugin_listing] check: GET /plugins: {what}", flush=True)
    if not ok:
        sys.exit(1)
for fx in ("crashctor", "crashentry"):
    x = avail.get((fx, "V1"), {})
    expect("crashed while loading: signal 11" in x.get("refused", ""), f"{fx}:V1 refused as crashed")
    expect(x.get("path") == f"{d}/{fx}-V1.so", f"{fx}:V1 with its path")
expect("did not finish loading" in avail.get(("hangentry", "V1"), {}).get("refused", ""),
       "hangentry:V1 refused as hanging")
expect("built for" in avail.get(("wrongarch", "V1"), {}).get("refused", ""),
       "wrongarch:V1 refused as another architecture")
expect(avail.get(("slow", "V1"), {}).get("kind") == "output", "slow:V1 listed as an output")
expect(sorted(x["name"] for x in p["loaded"]) == ["stdin", "stdout", "valid"],
       "loaded: only stdin, valid and stdout")
PY

# 3. A new file in the directory is seen on a later request.
cp "$MAFIO_TEST_PLUGINS/counter-V1.so" "$BROKEN/"
has_counter() {
    curl -s "$BASE/plugins" >"$TMP/plugins.json" &&
        python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); sys.exit(not any(x["name"] == "counter" and x.get("kind") == "output" for x in p["available"]))' \
            "$TMP/plugins.json"
}
wait_until "GET /plugins lists counter:V1, added while the agent runs" has_counter

tail -n +1001 "$TMP/input" >&8
exec 8>&-
wait_exit "$AGENT"
[ "$RC" -eq 0 ] || fail "the agent exited with $(_describe_rc "$RC")"
expect_same_file "$TMP/input" "$TMP/out" "the record stream"
check "the agent never loaded the broken files (no crash message in its log)"
grep -q "crashed while loading" "$ERR" && fail "the agent loaded a broken file: $(grep crashed "$ERR")"

# 4. -describe of a plugin that crashes while loading.
log "---- -describe crashctor:V1"
expect_exit 1 "$MAFIO" -plugins-dir "$BROKEN" -describe crashctor:V1
expect_stderr_contains "$BROKEN/crashctor-V1.so" "crashed while loading: signal 11"

# 5. -describe of real plugins.
log "---- -describe filereader:V2"
expect_exit 0 "$MAFIO" -describe filereader:V2
check "path is marked required, the others are not"
grep -qE '^  path +string or a list of strings; required' "$OUT" || fail "path is not marked required: $(grep -E '^  path' "$OUT")"
grep -qE '^  exclude .*required' "$OUT" && fail "exclude is marked required"
check "sizes, durations and enums are named, with the allowed values"
grep -qE '^  max_line_bytes +size; default "1MiB"' "$OUT" || fail "max_line_bytes: $(grep max_line_bytes "$OUT" | head -n 2)"
grep -qE '^  scan_interval +duration; default "2s"' "$OUT" || fail "scan_interval: $(grep scan_interval "$OUT" | head -n 2)"
grep -qE '^  read_from +one of "head", "tail"' "$OUT" || fail "read_from: $(grep read_from "$OUT" | head -n 2)"
grep -qE '^  max_open_files +integer of at least 1' "$OUT" || fail "max_open_files: $(grep max_open_files "$OUT" | head -n 2)"
expect_stdout_contains "a duration is a number of seconds" "a size is a number of bytes"
check "the config snippet is JSON the agent accepts (after filling in the path)"
sed -n '/^config snippet/,$p' "$OUT" | tail -n +2 >"$TMP/snippet.json"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMP/snippet.json" || fail "snippet is not JSON: $(cat "$TMP/snippet.json")"
echo "one line" >"$TMP/log.txt"
sed "s#\"<path>\"#\"$TMP/log.txt\"#" "$TMP/snippet.json" >"$TMP/agent.json"
expect_exit 0 "$MAFIO" -check -config "$TMP/agent.json"

log "---- -describe logr:V1"
expect_exit 0 "$MAFIO" -describe logr
grep -qE '^  max_files +integer from 0 to 1000; default 5' "$OUT" || fail "max_files: $(grep max_files "$OUT")"
grep -qE '"outputs"' "$OUT" || fail "the snippet of an output is not under \"outputs\""

pass
