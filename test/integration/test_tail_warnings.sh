#!/usr/bin/env bash
# Silent no-ops are said (issue 16, item 5): a filereader:V2 path that matches nothing, a
# directory or a FIFO given as a path, and -plugins-dir naming a missing directory. Each is a
# warning line when it starts, said again only when it changes, and (for the inputs) a warning
# of /health, which stays 200 "ok" (warnings are not failures; the warn_<condition> gauges of
# mafio/abi/metric.h).
. "$(dirname "$0")/tail_lib.sh"

command -v curl >/dev/null || fail "curl is needed"
mkdir -p "$TMP/logs" "$TMP/adir"
mkfifo "$TMP/fifo"
PORT="$(free_port)"
# Input "logs" matches nothing at first; input "odd" names a directory and a FIFO.
CFG="{\"inputs\":[
  {\"plugin\":\"filereader:V2\",\"id\":\"logs\",\"path\":$(json_str "$TMP/logs/*.log"),\"scan_interval\":\"100ms\"},
  {\"plugin\":\"filereader:V2\",\"id\":\"odd\",\"path\":[$(json_str "$TMP/adir"),$(json_str "$TMP/fifo")],\"scan_interval\":\"100ms\"}],
  \"filters\":[],\"outputs\":[{\"plugin\":\"stdout\"}]}"
"$MAFIO" -data-dir="$TMP/data" -log-level=info -http-address="127.0.0.1:$PORT" \
    -plugins-dir="$TMP/no-such-dir" -f "$CFG" >"$TMP/out" 2>"$ERR" &
AGENT_PID=$!
BG_PIDS+=("$AGENT_PID")

health() { curl -s --max-time 20 -o "$TMP/health.json" -w '%{http_code}' "http://127.0.0.1:$PORT/health" 2>/dev/null; }
# health_has TEXT: /health answers 200, status "ok", and TEXT among its warnings.
health_has() {
    [ "$(health)" = 200 ] && python3 - "$TMP/health.json" "$1" <<'EOF'
import json, sys
h = json.load(open(sys.argv[1]))
sys.exit(0 if h.get("status") == "ok" and any(sys.argv[2] in w for w in h.get("warnings", [])) else 1)
EOF
}
health_lacks() {
    [ "$(health)" = 200 ] && ! grep -qF -- "$1" "$TMP/health.json"
}
count() { grep -cF -- "$1" "$ERR"; }
logged() { [ "$(count "$1")" -ge "${2:-1}" ]; }

wait_until "/health warns that input logs matches nothing" health_has "logs: no_match (path patterns that match no file)"
wait_until "/health warns that input odd matches no regular file" health_has "odd: no_match"
wait_until "/health warns that input odd has matches that are not regular files" health_has "odd: not_regular (matched paths that are not regular files"
log "health: $(cat "$TMP/health.json")"

check "-plugins-dir naming a missing directory is a warning naming it"
expect_stderr_contains "-plugins-dir \"$TMP/no-such-dir\": no such directory"
check "each condition is one warning line"
expect_stderr_contains "path \"$TMP/logs/*.log\" matches no regular file" \
    "\"$TMP/adir\" is a directory, not a regular file" "\"$TMP/fifo\" is a FIFO (named pipe), not a regular file"

# A file appears: the warning of input logs ends (an info line, and /health no longer has it).
echo "logs:1:first" >"$TMP/logs/a.log"
wait_until "the new file's line is delivered" grep -q 'logs:1:first' "$TMP/out"
wait_until "the log says the path matches a file now" logged "path \"$TMP/logs/*.log\" matches 1 file(s) now"
wait_until "/health no longer warns about input logs" health_lacks "logs: no_match"
check "the conditions were said once each, not at every scan"
for text in "path \"$TMP/logs/*.log\" matches no regular file" "\"$TMP/adir\" is a directory" \
    "\"$TMP/fifo\" is a FIFO" "no such directory"; do
    [ "$(count "$text")" -eq 1 ] || fail "\"$text\" was logged $(count "$text") times, expected once"
done
# And again when it changes back.
rm "$TMP/logs/a.log"
wait_until "the log says again that the path matches nothing" logged "path \"$TMP/logs/*.log\" matches no regular file" 2
wait_until "/health warns again about input logs" health_has "logs: no_match"
check "the FIFO was never opened (a reader would have blocked the input)"
[ "$(count "$TMP/fifo\": ")" -eq 0 ] || fail "something tried to open the FIFO: $(grep -F "$TMP/fifo\": " "$ERR" | head -n 1)"
stop_agent
pass
