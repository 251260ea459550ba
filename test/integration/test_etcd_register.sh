#!/usr/bin/env bash
# etcd registration (issue 12): three agents of one group register under leases;
# `etcdctl get --prefix /mafio/agents/` lists them with their components; /pipeline and /health
# show the discovery state; a SIGKILLed agent's key is gone once its lease (2 s) runs out; a
# clean stop deletes the key at once; with etcd gone /health is degraded and data flows. Also:
# `-check -central-config` validates a document the way central configuration applies it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/etcd_lib.sh"
export MAFIO_PLUGINS_DIR="$MAFIO_PLUGINS"

check "-check -central-config: a document is merged over the local config under the central policy"
LOCAL='{"inputs":[{"plugin":"filereader:V2","id":"app","path":"/tmp/x"}],"outputs":[{"plugin":"stdout","id":"out"}]}'
printf '{"inputs":[{"plugin":"filereader:V1","id":"app","path":"/tmp/x"}]}' >"$TMP/central.json"
expect_exit 0 "$MAFIO" -check -f "$LOCAL" -central-config "$TMP/central.json"
expect_stdout_contains "filereader:V1"
printf '{"http":{"address":"0.0.0.0:1"}}' >"$TMP/bad.json"
expect_exit 1 "$MAFIO" -check -f "$LOCAL" -central-config "$TMP/bad.json"
expect_stderr_contains "central configuration may not set"
printf '{"outputs":[{"plugin":"command","command":"sh"}]}' >"$TMP/exec.json"
expect_exit 1 "$MAFIO" -check -f "$LOCAL" -central-config "$TMP/exec.json"
expect_stderr_contains "etcd.allow_exec: true"
expect_exit 1 "$MAFIO" -f "$LOCAL" -central-config "$TMP/central.json"
expect_stderr_contains "-central-config"

start_etcd
PORT=$(free_port)
declare -A PID=()
for a in a1 a2 a3; do
    : >"$TMP/$a.log"
    http=off
    [ "$a" = a1 ] && http="127.0.0.1:$PORT"
    "$MAFIO" -etcd-endpoint "$ETCD_EP" -agent-id "$a" -agent-group g1 -data-dir "$TMP/data-$a" \
        -http-address "$http" \
        -f "{\"etcd\":{\"lease_ttl\":\"2s\"},\"inputs\":[{\"plugin\":\"filereader:V2\",\"id\":\"app\",\"path\":\"$TMP/$a.log\"}],\"filters\":[],\"outputs\":[{\"plugin\":\"stdout\",\"id\":\"out\"}]}" \
        >"$TMP/$a.out" 2>"$TMP/$a.err" &
    PID[$a]=$!
    BG_PIDS+=("$!")
done
_three() { [ "$(ectl get --prefix /mafio/agents/ --keys-only | grep -c .)" = 3 ]; }
wait_until "three agents are registered" _three

check "etcdctl get --prefix /mafio/agents/ lists them with what they run"
ectl get --prefix /mafio/agents/ >"$TMP/agents.txt"
for a in a1 a2 a3; do
    grep -qx "/mafio/agents/g1/$a" "$TMP/agents.txt" || fail "no key for $a: $(cat "$TMP/agents.txt")"
    for f in id group hostname pid version abi_version http_address started_at components config_revision health; do
        [ -n "$(json_get "/mafio/agents/g1/$a" "$f")" ] || fail "$a's record has no $f: $(value "/mafio/agents/g1/$a")"
    done
    [ "$(json_get "/mafio/agents/g1/$a" pid)" = "${PID[$a]}" ] || fail "$a's pid is wrong"
    agent_runs "$a" filereader:V2 || fail "$a's record does not list app as filereader:V2"
done
log "$(value /mafio/agents/g1/a1)"

check "/pipeline and /health show the discovery state"
curl -s "http://127.0.0.1:$PORT/pipeline" >"$TMP/pipeline.json"
python3 - "$TMP/pipeline.json" "$ETCD_EP" <<'PY' || fail "bad discovery state: $(cat "$TMP/pipeline.json" | head -c 600)"
import json, sys
d = json.load(open(sys.argv[1]))["discovery"]
assert d["connected"] is True and d["endpoint"] == sys.argv[2], d
assert d["lease"] and d["registration_key"] == "/mafio/agents/g1/a1", d
PY
curl -s "http://127.0.0.1:$PORT/health" | grep -q '"status": "ok"' || fail "health is not ok"
curl -s "http://127.0.0.1:$PORT/metrics" | grep -q '^mafio_etcd_config_applies_total' || fail "no etcd metrics"

check "a SIGKILLed agent's key is gone after its lease TTL"
kill -KILL "${PID[a2]}"
wait_until "a2's key expired" key_absent /mafio/agents/g1/a2
key_present /mafio/agents/g1/a3 || fail "a3's key went too"

check "a clean stop deletes the key at once"
kill -TERM "${PID[a3]}"
wait_exit "${PID[a3]}"
[ "$RC" = 0 ] || fail "a3 exited $RC"
key_absent /mafio/agents/g1/a3 || fail "a3's key is still there right after its clean stop"
grep -q "deregistered" "$TMP/a3.err" || fail "a3 did not say it deregistered"
key_present /mafio/agents/g1/a1 || fail "a1's key went too"

check "with etcd gone, /health is degraded (not failing) and the data flows on"
stop_member solo
_degraded() { curl -s "http://127.0.0.1:$PORT/health" | grep -q '"status": "degraded"'; }
wait_until "a1's /health says degraded" _degraded
echo "after-etcd" >>"$TMP/a1.log"
_arrived() { grep -q after-etcd "$TMP/a1.out"; }
wait_until "a line written while etcd is down arrives" _arrived
[ "$(grep -c 'etcd: .* failed' "$TMP/a1.err")" = 1 ] || fail "expected one failure line per streak: $(grep 'etcd' "$TMP/a1.err")"
kill -TERM "${PID[a1]}"
wait_exit "${PID[a1]}"
[ "$RC" = 0 ] || fail "a1 exited $RC with etcd down"
pass
