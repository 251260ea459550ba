#!/usr/bin/env bash
# A watch resumed from a compacted revision (issue 12, faults): the agent reaches etcd only
# through a TCP proxy (tcp_proxy.py); the test kills the proxy (the agent's watch and keepalive
# break), then, talking to etcd directly, publishes a new group document, puts unrelated keys and
# compacts etcd at its current revision, and starts the proxy again on the same port. The
# revision the agent would resume its watch from is gone: it must say so, read the keys again
# and apply the new document (status key, /pipeline). No timing: the change and the compaction
# happen while the agent surely cannot see etcd.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/etcd_lib.sh"
export MAFIO_PLUGINS_DIR="$MAFIO_PLUGINS"

start_etcd
PROXY_PORT=$(free_port)
PROXY_PID=""
start_proxy() {
    python3 "$MAFIO_SOURCE_DIR/test/integration/tcp_proxy.py" --port "$PROXY_PORT" --target "$ETCD_EP" \
        2>>"$TMP/proxy.log" &
    PROXY_PID=$!
    BG_PIDS+=("$!")
    wait_until "etcd answers through the proxy" etcdctl --endpoints "127.0.0.1:$PROXY_PORT" endpoint health
}
start_proxy

export APP_LOG="$TMP/app.log"
: >"$APP_LOG"
doc() { # PLUGIN -> a group document tailing ${APP_LOG} with PLUGIN
    echo "{\"inputs\":[{\"plugin\":\"$1\",\"id\":\"app\",\"path\":\"\${APP_LOG}\",\"poll_interval\":\"20ms\"}]}"
}
REV1=$(put_rev /mafio/config/g1 "$(doc filereader:V1)")
PORT=$(free_port)
"$MAFIO" -etcd-endpoint "127.0.0.1:$PROXY_PORT" -agent-id a1 -agent-group g1 -data-dir "$TMP/data" \
    -log-level info -http-address "127.0.0.1:$PORT" \
    -f '{"etcd":{"lease_ttl":"2s"},"inputs":[{"plugin":"filereader:V2","id":"app","path":"${APP_LOG}","poll_interval":"20ms"}],"filters":[],"outputs":[{"plugin":"stdout","id":"out"}]}' \
    >"$TMP/out" 2>"$ERR" &
AGENT=$!
BG_PIDS+=("$AGENT")
wait_until "the agent applied revision $REV1" status_at_least a1 "$REV1" true
_runs() { agent_runs a1 "$1"; }
wait_until "the agent runs the central filereader:V1" _runs filereader:V1

# discovery FIELD: a field of the discovery state in /pipeline.
discovery() {
    curl -s "http://127.0.0.1:$PORT/pipeline" | python3 -c 'import json,sys
print(json.load(sys.stdin)["discovery"][sys.argv[1]])' "$1"
}
# (the output is taken whole first: with pipefail, grep -q quitting early could SIGPIPE curl)
pipeline_runs() { grep -q "\"plugin\": \"$1\"" <<<"$(curl -s "http://127.0.0.1:$PORT/pipeline")"; }

check "the proxy goes away: the agent cannot see etcd"
{ kill -KILL "$PROXY_PID" && wait "$PROXY_PID"; } 2>/dev/null # (bash's "Killed" notice)
_degraded() { grep -q '"status": "degraded"' <<<"$(curl -s "http://127.0.0.1:$PORT/health")"; }
wait_until "/health says degraded" _degraded

check "meanwhile, directly: a new group document, unrelated puts, a compaction"
REV2=$(put_rev /mafio/config/g1 "$(doc filereader:V2)")
put_rev /unrelated/a x >/dev/null
put_rev /unrelated/b y >/dev/null
NOW=$(put_rev /unrelated/a z)
ectl compact "$NOW" >/dev/null || fail "etcdctl compact $NOW failed"
log "new document at revision $REV2, compacted at $NOW"
_agent_alive() { kill -0 "$AGENT" 2>/dev/null; }
_agent_alive || fail "the agent died while etcd was out of reach"
pipeline_runs filereader:V1 || fail "the agent dropped its configuration while etcd was out of reach"

check "the proxy comes back: the agent finds its revision compacted, reads the keys again"
start_proxy
_compacted() { grep -q "etcd: the watch's revision .* was compacted; reading /mafio/config/g1 again" "$ERR"; }
wait_until "the log says the watch's revision was compacted" _compacted
wait_until "the status key shows revision >= $REV2, ok" status_at_least a1 "$REV2" true
wait_until "/pipeline runs the new filereader:V2" pipeline_runs filereader:V2
[ "$(discovery last_revision_applied)" -ge "$REV2" ] ||
    fail "/pipeline's last_revision_applied is $(discovery last_revision_applied), expected >= $REV2"
wait_until "the registration shows filereader:V2" _runs filereader:V2
echo "after-compaction" >>"$APP_LOG"
_arrived() { grep -q after-compaction "$TMP/out"; }
wait_until "a line written now arrives" _arrived

check "SIGTERM: exit 0, the registration gone"
kill -TERM "$AGENT"
wait_exit "$AGENT"
[ "$RC" = 0 ] || fail "the agent exited $RC"
key_absent /mafio/agents/g1/a1 || fail "the key outlived the clean stop"
pass
