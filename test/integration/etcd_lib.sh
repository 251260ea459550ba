# shellcheck shell=bash
# Helpers of the etcd discovery scenarios (test_etcd_*.sh, issue 12), on top of lib.sh or
# tail_lib.sh (source one of them first). etcd (Debian's etcd-server) is started by the test on
# free loopback ports with its data under $TMP, and killed by lib.sh's trap with everything else
# in BG_PIDS: never the system service.
export ETCDCTL_API=3
command -v etcd >/dev/null && command -v etcdctl >/dev/null ||
    { echo "[$TEST_NAME] FAIL: etcd and etcdctl are needed (packaging/install-deps.sh installs etcd-server and etcd-client)" >&2; exit 1; }

# etcd_member NAME CLIENT_PORT PEER_PORT INITIAL_CLUSTER [STATE]: starts one member in the
# background (data in $TMP/etcd-NAME, log in $TMP/etcd-NAME.log); its pid in ETCD_PID[NAME].
declare -A ETCD_PID=()
etcd_member() {
    local name=$1 cport=$2 pport=$3 cluster=$4 state=${5:-new}
    etcd --name "$name" --data-dir "$TMP/etcd-$name" \
        --listen-client-urls "http://127.0.0.1:$cport" --advertise-client-urls "http://127.0.0.1:$cport" \
        --listen-peer-urls "http://127.0.0.1:$pport" --initial-advertise-peer-urls "http://127.0.0.1:$pport" \
        --initial-cluster "$cluster" --initial-cluster-state "$state" --initial-cluster-token "mafio-$TEST_NAME" \
        --heartbeat-interval 50 --election-timeout 500 >>"$TMP/etcd-$name.log" 2>&1 &
    ETCD_PID[$name]=$!
    BG_PIDS+=("$!")
}

# start_etcd: one member on free ports; sets ETCD_EP (host:port) and waits until it answers.
ETCD_EP=""
ETCD_CPORT=""
ETCD_PPORT=""
start_etcd() {
    ETCD_CPORT=$(free_port)
    ETCD_PPORT=$(free_port)
    ETCD_EP="127.0.0.1:$ETCD_CPORT"
    etcd_member solo "$ETCD_CPORT" "$ETCD_PPORT" "solo=http://127.0.0.1:$ETCD_PPORT"
    wait_until "etcd answers at $ETCD_EP" etcdctl --endpoints "$ETCD_EP" endpoint health
}
# restart_etcd: the single member again, same ports, data kept.
restart_etcd() {
    etcd_member solo "$ETCD_CPORT" "$ETCD_PPORT" "solo=http://127.0.0.1:$ETCD_PPORT"
    wait_until "etcd answers again at $ETCD_EP" etcdctl --endpoints "$ETCD_EP" endpoint health
}
# stop_member NAME: SIGKILL, and waits until it is gone.
stop_member() {
    kill -KILL "${ETCD_PID[$1]}" 2>/dev/null
    wait "${ETCD_PID[$1]}" 2>/dev/null
}

# ectl ARGS...: etcdctl against $ETCD_EP (a list for a cluster).
ectl() { etcdctl --endpoints "$ETCD_EP" --command-timeout 3s "$@"; }
# value KEY: the value of KEY, "" when absent.
value() { ectl get "$1" --print-value-only 2>/dev/null; }
# put_rev KEY VALUE: puts and prints the revision etcd gave the change.
put_rev() {
    ectl put "$1" "$2" -w json | python3 -c 'import json,sys; print(json.load(sys.stdin)["header"]["revision"])'
}
# json_get KEY FIELD: one field of the JSON value of KEY ("" when absent).
json_get() {
    value "$1" | python3 -c 'import json,sys
t=sys.stdin.read()
if not t.strip(): sys.exit(0)
v=json.loads(t).get(sys.argv[1], "")
print(json.dumps(v) if isinstance(v,(bool,list,dict)) else v)' "$2"
}
# key_absent KEY / key_present KEY
key_absent() { [ -z "$(ectl get "$1" --keys-only 2>/dev/null)" ]; }
key_present() { [ -n "$(ectl get "$1" --keys-only 2>/dev/null)" ]; }
# status_at_least AGENT REV [OK]: the agent's status key shows revision >= REV (and ok = OK).
status_at_least() {
    local rev ok
    rev=$(json_get "/mafio/status/g1/$1" revision)
    ok=$(json_get "/mafio/status/g1/$1" ok)
    [ -n "$rev" ] && [ "$rev" -ge "$2" ] && { [ -z "${3:-}" ] || [ "$ok" = "$3" ]; }
}
# agent_runs AGENT PLUGIN: the agent's registration lists component "app" as PLUGIN.
agent_runs() {
    value "/mafio/agents/g1/$1" | python3 -c 'import json,sys
r=json.load(sys.stdin)
sys.exit(0 if any(c["id"]=="app" and c["plugin"]==sys.argv[1] for c in r["components"]) else 1)' "$2" 2>/dev/null
}
