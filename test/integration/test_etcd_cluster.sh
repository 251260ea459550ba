#!/usr/bin/env bash
# etcd discovery against a three-member cluster on loopback (issue 12). Two agents know all
# three endpoints (in different orders). A follower is killed: registrations stay under the
# same leases (keepalive fails over), the watch resumes and a config change made meanwhile is
# applied. The follower comes back; then the leader is killed (two members keep the quorum):
# the same again. No change is missed: each agent ends on the last document, its status at the
# last revision.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/etcd_lib.sh"
export MAFIO_PLUGINS_DIR="$MAFIO_PLUGINS"

declare -A CP=() PP=()
CLUSTER=""
for m in m1 m2 m3; do
    CP[$m]=$(free_port)
    PP[$m]=$(free_port)
    CLUSTER="${CLUSTER:+$CLUSTER,}$m=http://127.0.0.1:${PP[$m]}"
done
for m in m1 m2 m3; do etcd_member "$m" "${CP[$m]}" "${PP[$m]}" "$CLUSTER"; done
ETCD_EP="127.0.0.1:${CP[m1]},127.0.0.1:${CP[m2]},127.0.0.1:${CP[m3]}"
_healthy() { [ "$(etcdctl --endpoints "$ETCD_EP" endpoint health 2>&1 | grep -c 'is healthy')" = "${1:-3}" ]; }
wait_until "the three members are healthy" _healthy 3

# leader: the name of the member that leads now.
leader() {
    local ep
    ep=$(etcdctl --endpoints "$ETCD_EP" endpoint status -w json 2>/dev/null | python3 -c 'import json,sys
for s in json.load(sys.stdin):
    if s["Status"]["leader"] == s["Status"]["header"]["member_id"]: print(s["Endpoint"])')
    for m in m1 m2 m3; do [ "$ep" = "127.0.0.1:${CP[$m]}" ] && echo "$m"; done
}

declare -A PID=() PORT=() ORDER=()
# a1 talks to the leader first, a2 to the follower that is killed first: both fail over.
L=$(leader)
FOLLOWER=""
OTHER=""
for m in m1 m2 m3; do
    if [ "$m" != "$L" ]; then
        [ -z "$FOLLOWER" ] && FOLLOWER=$m || OTHER=$m
    fi
done
ORDER+=([a1]="127.0.0.1:${CP[$L]},127.0.0.1:${CP[$OTHER]},127.0.0.1:${CP[$FOLLOWER]}"
        [a2]="127.0.0.1:${CP[$FOLLOWER]},127.0.0.1:${CP[$L]},127.0.0.1:${CP[$OTHER]}")
for a in a1 a2; do
    : >"$TMP/$a.log"
    PORT[$a]=$(free_port)
    APP_LOG="$TMP/$a.log" "$MAFIO" -etcd-endpoint "${ORDER[$a]}" -agent-id "$a" -agent-group g1 -data-dir "$TMP/data-$a" \
        -http-address "127.0.0.1:${PORT[$a]}" \
        -f "{\"etcd\":{\"lease_ttl\":\"3s\"},\"inputs\":[{\"plugin\":\"filereader:V2\",\"id\":\"app\",\"path\":\"\${APP_LOG}\"}],\"filters\":[],\"outputs\":[{\"plugin\":\"stdout\",\"id\":\"out\"}]}" \
        >"$TMP/$a.out" 2>"$TMP/$a.err" &
    PID[$a]=$!
    BG_PIDS+=("$!")
done
for a in a1 a2; do wait_until "$a is registered" key_present "/mafio/agents/g1/$a"; done

# discovery FIELD AGENT: a field of the agent's discovery state in /pipeline.
discovery() {
    curl -s "http://127.0.0.1:${PORT[$2]}/pipeline" | python3 -c 'import json,sys
print(json.load(sys.stdin)["discovery"][sys.argv[1]])' "$1"
}
declare -A LEASE=()
for a in a1 a2; do LEASE[$a]=$(discovery lease "$a"); done
log "leases: a1 ${LEASE[a1]}, a2 ${LEASE[a2]}; leader $L; a1 on $(discovery endpoint a1), a2 on $(discovery endpoint a2)"

# change_and_verify TAG: a group document puts app on TAG; both agents apply it, keep their
# registrations and leases.
n=0
change_and_verify() {
    local tag=$1 rev a
    n=$((n + 1))
    rev=""
    # The put itself may need a retry while the cluster elects a leader.
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        rev=$(put_rev /mafio/config/g1 "{\"inputs\":[{\"plugin\":\"filereader:$tag\",\"id\":\"app\",\"path\":\"\${APP_LOG}\"}]}" 2>/dev/null) && break
        sleep 0.5
    done
    [ -n "$rev" ] || fail "etcd took no put"
    for a in a1 a2; do
        wait_until "$a applied revision $rev (change $n)" status_at_least "$a" "$rev" true
        wait_until "$a runs filereader:$tag" agent_runs "$a" "filereader:$tag"
        key_present "/mafio/agents/g1/$a" || fail "$a's registration is gone"
        _connected() { [ "$(discovery connected "$1")" = True ]; }
        wait_until "$a is connected again" _connected "$a"
        [ "$(discovery lease "$a")" = "${LEASE[$a]}" ] || fail "$a lost its lease (now $(discovery lease "$a"), was ${LEASE[$a]})"
    done
}

check "a follower ($FOLLOWER) is killed"
stop_member "$FOLLOWER"
change_and_verify V1

check "the follower comes back; the leader ($L) is killed"
etcd_member "$FOLLOWER" "${CP[$FOLLOWER]}" "${PP[$FOLLOWER]}" "$CLUSTER"
wait_until "three members are healthy again" _healthy 3
L=$(leader)
stop_member "$L"
change_and_verify V2
log "new leader: $(leader)"

for a in a1 a2; do
    kill -TERM "${PID[$a]}"
    wait_exit "${PID[$a]}"
    [ "$RC" = 0 ] || fail "$a exited $RC"
    key_absent "/mafio/agents/g1/$a" || fail "$a's key outlived its clean stop"
done
pass
