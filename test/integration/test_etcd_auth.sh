#!/usr/bin/env bash
# etcd token auth (issue 12): with auth enabled in etcd, an agent given etcd.username and
# etcd.password_file authenticates, registers, watches and writes its status under its role's
# prefix; one with a wrong password is told so in the log, and its data flows on regardless.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/etcd_lib.sh"
export MAFIO_PLUGINS_DIR="$MAFIO_PLUGINS"

start_etcd
ectl user add root:rootpw >/dev/null || fail "user add root"
ectl user add agent:agentpw >/dev/null || fail "user add agent"
ectl role add mafio-agent >/dev/null
ectl role grant-permission mafio-agent --prefix=true readwrite /mafio/ >/dev/null
ectl user grant-role agent mafio-agent >/dev/null
ectl auth enable >/dev/null || fail "auth enable"
ectl() { etcdctl --endpoints "$ETCD_EP" --command-timeout 3s --user root:rootpw "$@"; }

printf 'agentpw\n' >"$TMP/pw"
printf 'wrong\n' >"$TMP/badpw"
declare -A PID=()
for a in good bad; do
    pw="$TMP/pw"
    [ "$a" = bad ] && pw="$TMP/badpw"
    : >"$TMP/$a.log"
    "$MAFIO" -etcd-endpoint "$ETCD_EP" -agent-id "$a" -agent-group g1 -data-dir "$TMP/data-$a" -http-address off \
        -f "{\"etcd\":{\"lease_ttl\":\"2s\",\"username\":\"agent\",\"password_file\":\"$pw\"},\"inputs\":[{\"plugin\":\"filereader:V2\",\"id\":\"app\",\"path\":\"$TMP/$a.log\"}],\"filters\":[],\"outputs\":[{\"plugin\":\"stdout\",\"id\":\"out\"}]}" \
        >"$TMP/$a.out" 2>"$TMP/$a.err" &
    PID[$a]=$!
    BG_PIDS+=("$!")
done

check "the agent with the right password registers and applies a central document"
wait_until "good is registered" key_present /mafio/agents/g1/good
REV=$(put_rev /mafio/config/g1 '{"log_level":"info"}')
wait_until "good's status shows revision $REV" status_at_least good "$REV" true

check "the agent with a wrong password says so and its data flows"
_refused() { grep -q "refused the credentials" "$TMP/bad.err"; }
wait_until "bad's log names the refused credentials" _refused
echo "still-flowing" >>"$TMP/bad.log"
_arrived() { grep -q still-flowing "$TMP/bad.out"; }
wait_until "bad delivers its line" _arrived
key_absent /mafio/agents/g1/bad || fail "bad registered with a wrong password"

for a in good bad; do
    kill -TERM "${PID[$a]}"
    wait_exit "${PID[$a]}"
    [ "$RC" = 0 ] || fail "$a exited $RC"
done
key_absent /mafio/agents/g1/good || fail "good's key outlived its clean stop"
pass
