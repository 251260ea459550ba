#!/usr/bin/env bash
# tcpdump:V1 capturing live on loopback (as root): curl requests with and without bodies, a
# 404, two requests pipelined in one write, and requests to a server found only through
# target_processes (its executable named distinctively, started after the agent, its port found
# in /proc at the next process_refresh and added to the capture filter); every one
# becomes exactly one record with the right method, URL, status and type. Then `ttl` ends the
# capture by itself and the agent drains and exits 0.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tcpdump_live_lib.sh"
require_capture_rights

P1=$(free_port)
start_server "$P1"
P2=$(free_port)
while [ "$P2" = "$P1" ]; do P2=$(free_port); done
PROC=mafio_td_srv

cat >"$TMP/live.json" <<JSON
{"inputs": [{"plugin": "tcpdump:V1", "interfaces": ["lo"], "http_ports": ["$P1"],
             "target_processes": ["$PROC"], "process_refresh": "1s"}],
 "outputs": [{"plugin": "stdout"}]}
JSON
# The target process starts after the agent: it is looked up again every process_refresh,
# and the capture filter is rebuilt when its port appears.
start_agent "$TMP/live.json"
check "the missing target process is reported"
grep -q "no process named \"$PROC\" is running" "$AGENT_ERR" || fail "no warning about $PROC"
# The target process: python3 under a name of its own, so its comm is that name.
# (sys.executable, not `command -v`: python3 on PATH may be a wrapper script such as pyenv's.)
ln -s "$(python3 -c 'import sys; print(sys.executable)')" "$TMP/$PROC"
start_server "$P2" "$TMP/$PROC"
check "the target process's comm is $PROC"
[ "$(cat /proc/$SERVER_PID/comm)" = "$PROC" ] || fail "comm is $(cat /proc/$SERVER_PID/comm)"
_followed() { grep -q "watched ports are now .*$P2" "$AGENT_ERR"; }
wait_until "the refresh finds $PROC's port $P2 and rebuilds the filter" _followed

: >"$TMP/expected"
want() { echo "$1 $2 $3 $4" >>"$TMP/expected"; } # method url status type
for i in 1 2 3 4 5; do
    curl -sf -o /dev/null "http://127.0.0.1:$P1/get/$i" || fail "curl GET failed"
    want GET "/get/$i" 200 http
done
for i in 1 2 3; do
    curl -sf -o /dev/null --data-binary "body number $i with some bytes" "http://127.0.0.1:$P1/post/$i" || fail "curl POST failed"
    want POST "/post/$i" 200 http
done
curl -s -o /dev/null -X PUT --data-binary @"$HTTPPY" "http://127.0.0.1:$P1/put/file" || fail "curl PUT failed"
want PUT /put/file 200 http
curl -s -o /dev/null "http://127.0.0.1:$P1/status/404"
want GET /status/404 404 http
python3 "$HTTPPY" pipelined "$P1" /pipe/1 /pipe/2 || fail "the pipelined client failed"
want GET /pipe/1 200 http
want GET /pipe/2 200 http
for i in 1 2 3; do
    curl -sf -o /dev/null "http://127.0.0.1:$P2/target/$i" || fail "curl to the target failed"
    want GET "/target/$i" 200 "$PROC"
done
N=$(wc -l <"$TMP/expected")

# Counted as HTTP records: start_server's readiness probe to $P2 (a connection without data) is
# captured too when a refresh found $PROC's port before the probe connected, and gives a TCP
# record of type $PROC (documented); it must not stand for a request still in the agent.
_enough() { [ "$(grep -c '"method":' "$AGENT_OUT")" -ge "$N" ]; }
wait_until "$N HTTP records" _enough
kill -TERM "$AGENT_PID"
wait_exit "$AGENT_PID"
[ "$RC" -eq 0 ] || fail "the agent exited $RC after SIGTERM"
check "exactly the $N requests made, each once, with method, URL, status and type"
python3 - "$TMP/expected" "$AGENT_OUT" "$P1" "$P2" "$PROC" <<'PY' || fail "records differ (above)"
import json, sys
want = sorted(tuple(l.split()) for l in open(sys.argv[1]))
recs = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
ok = True
# Besides the requests, only start_server's probes of the target server: no byte from the client.
for r in (r for r in recs if "method" not in r):
    if r["dst_port"] != int(sys.argv[4]) or r["type"] != sys.argv[5] or r["client_bytes"] != 0:
        print("a connection record that is not a readiness probe:", r)
        ok = False
recs = [r for r in recs if "method" in r]
got = sorted((r["method"], r["url"], str(r["status"]), r["type"]) for r in recs)
ok = ok and want == got
for r in recs:
    if r["src"] != "127.0.0.1" or r["dst_port"] not in (int(sys.argv[3]), int(sys.argv[4])) \
            or r["req_bytes"] <= 0 or r["resp_bytes"] <= 0 or r["latency_ms"] is None:
        print("odd record:", r)
        ok = False
if not ok:
    print("want:", want)
    print("got: ", got)
    sys.exit(1)
PY

# ttl: the input ends by itself; what was captured is delivered, and the agent exits 0. The
# client keeps sending until the agent is gone, so some requests land inside the capture.
cat >"$TMP/ttl.json" <<JSON
{"inputs": [{"plugin": "tcpdump:V1", "interfaces": "lo", "http_ports": $P1, "ttl": "3s"}],
 "outputs": [{"plugin": "stdout"}]}
JSON
start_agent "$TMP/ttl.json"
: >"$TMP/made"
i=0
while kill -0 "$AGENT_PID" 2>/dev/null; do
    i=$((i + 1))
    curl -sf -o /dev/null "http://127.0.0.1:$P1/ttl/$i" && echo "/ttl/$i" >>"$TMP/made"
    [ "$i" -lt 100000 ] || fail "the agent did not stop at its ttl"
    sleep 0.05
done
wait_exit "$AGENT_PID"
[ "$RC" -eq 0 ] || fail "the agent exited $RC at the end of its ttl"
grep -q "ttl reached" "$AGENT_ERR" || fail "no 'ttl reached' in the log"
check "records after ttl: at least one, each a request made"
python3 - "$TMP/made" "$AGENT_OUT" <<'PY' || fail "ttl records wrong (above)"
import json, sys
made = set(l.strip() for l in open(sys.argv[1]))
urls = [json.loads(l)["url"] for l in open(sys.argv[2]) if l.strip()]
if not urls or any(u not in made for u in urls) or len(urls) != len(set(urls)):
    print("made:", sorted(made)); print("records:", urls); sys.exit(1)
print("ttl: %d of %d requests captured before the end" % (len(urls), len(made)))
PY
pass
