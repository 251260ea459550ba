#!/usr/bin/env bash
# etcd over TLS (issue 12): etcd serves https:// with a certificate signed by a CA made here
# (openssl), first for any client, then requiring client certificates (--client-cert-auth).
#   - etcd.ca_file naming the CA: the agent registers and applies a group configuration;
#   - with --client-cert-auth, etcd.cert_file + key_file as well: the same;
#   - no ca_file (the system's CAs, which do not know this one), or no client certificate where
#     etcd wants one: the agent cannot connect, says why in one log line, /health is degraded,
#     it is not registered, and its data flows on; never a crash, nothing sent unverified.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/etcd_lib.sh"
export MAFIO_PLUGINS_DIR="$MAFIO_PLUGINS"

command -v openssl >/dev/null || fail "openssl is missing (packaging/install-deps.sh installs it)"
# mkcert NAME: a key and a certificate for 127.0.0.1 signed by the CA, usable by a server and a
# client (etcd's own gateway presents its server certificate as a client certificate).
mkcert() {
    openssl req -newkey rsa:2048 -nodes -subj "/CN=$1" -keyout "$TMP/$1.key" -out "$TMP/$1.csr" &&
        printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n' >"$TMP/$1.ext" &&
        openssl x509 -req -in "$TMP/$1.csr" -CA "$TMP/ca.pem" -CAkey "$TMP/ca.key" -CAcreateserial \
            -days 2 -extfile "$TMP/$1.ext" -out "$TMP/$1.pem"
}
{ openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=mafio test CA" \
    -keyout "$TMP/ca.key" -out "$TMP/ca.pem" && mkcert server && mkcert client; } >"$TMP/openssl.log" 2>&1 ||
    fail "openssl could not make the certificates: $(cat "$TMP/openssl.log")"

# start_tls_etcd NAME [ETCD-FLAGS...]: one member serving clients over TLS on free ports.
start_tls_etcd() {
    local name=$1 cport pport
    shift
    cport=$(free_port)
    pport=$(free_port)
    ETCD_EP="https://127.0.0.1:$cport"
    etcd --name "$name" --data-dir "$TMP/etcd-$name" \
        --listen-client-urls "$ETCD_EP" --advertise-client-urls "$ETCD_EP" \
        --cert-file "$TMP/server.pem" --key-file "$TMP/server.key" "$@" \
        --listen-peer-urls "http://127.0.0.1:$pport" --initial-advertise-peer-urls "http://127.0.0.1:$pport" \
        --initial-cluster "$name=http://127.0.0.1:$pport" --initial-cluster-token "mafio-$TEST_NAME" \
        --heartbeat-interval 50 --election-timeout 500 >>"$TMP/etcd-$name.log" 2>&1 &
    BG_PIDS+=("$!")
    wait_until "etcd answers at $ETCD_EP" ectl endpoint health
}
# etcdctl trusting the CA, with the client certificate (any etcd here accepts it).
ectl() {
    etcdctl --endpoints "$ETCD_EP" --command-timeout 3s --cacert "$TMP/ca.pem" \
        --cert "$TMP/client.pem" --key "$TMP/client.key" "$@"
}

declare -A PID=() HTTP=()
# start NAME ETCD-SETTINGS: an agent of group g1 tailing $TMP/NAME.log into $TMP/NAME.out.
start() {
    : >"$TMP/$1.log"
    HTTP[$1]=$(free_port)
    "$MAFIO" -etcd-endpoint "$ETCD_EP" -agent-id "$1" -agent-group g1 -data-dir "$TMP/data-$1" \
        -log-level info -http-address "127.0.0.1:${HTTP[$1]}" \
        -f "{\"etcd\":{\"lease_ttl\":\"2s\"$2},\"inputs\":[{\"plugin\":\"filereader:V2\",\"id\":\"app\",\"path\":\"$TMP/$1.log\",\"poll_interval\":\"20ms\"}],\"filters\":[],\"outputs\":[{\"plugin\":\"stdout\",\"id\":\"out\"}]}" \
        >"$TMP/$1.out" 2>"$TMP/$1.err" &
    PID[$1]=$!
    BG_PIDS+=("$!")
}
# stop NAME: SIGTERM, exit code 0 within the bound, the registration gone at once.
stop() {
    kill -TERM "${PID[$1]}"
    wait_exit "${PID[$1]}"
    [ "$RC" = 0 ] || fail "$1 exited $RC: $(tail -n 5 "$TMP/$1.err")"
    key_absent "/mafio/agents/g1/$1" || fail "$1's key outlived its clean stop"
}
# ${APP_LOG}: each agent's own file (start is called with APP_LOG=... in its environment).
V1='{"inputs":[{"plugin":"filereader:V1","id":"app","path":"${APP_LOG}","poll_interval":"20ms"}]}'
# works NAME: registers (etcdctl over TLS lists it) and applies the group configuration.
works() {
    ERR="$TMP/$1.err" # shown by fail
    wait_until "$1 is registered (etcdctl --cacert lists it)" key_present "/mafio/agents/g1/$1"
    # (the output is taken whole first: with pipefail, grep -q quitting early could SIGPIPE it)
    local keys
    keys=$(ectl get --prefix /mafio/agents/g1/ --keys-only) || fail "etcdctl get --prefix failed"
    grep -qx "/mafio/agents/g1/$1" <<<"$keys" || fail "etcdctl get --prefix does not list $1: $keys"
    wait_until "$1's status shows revision $REV, ok" status_at_least "$1" "$REV" true
    _runs_v1() { agent_runs "$1" filereader:V1; }
    wait_until "$1's registration shows the central filereader:V1" _runs_v1 "$1"
    grep -q '"plugin": "filereader:V1"' <<<"$(curl -s "http://127.0.0.1:${HTTP[$1]}/pipeline")" ||
        fail "$1's /pipeline does not show the central filereader:V1"
}
# refused NAME WHAT: cannot connect, says so with WHAT in its log, /health degraded, its data
# flows, not registered, still alive.
refused() {
    ERR="$TMP/$1.err"
    _said() { grep -q "etcd.*$2" "$TMP/$1.err"; }
    wait_until "$1's log says why it cannot connect ($2)" _said "$1" "$2"
    _degraded() { grep -q '"status": "degraded"' <<<"$(curl -s "http://127.0.0.1:${HTTP[$1]}/health")"; }
    wait_until "$1's /health is degraded" _degraded "$1"
    grep -q 'etcd (https://127.0.0.1:.*) cannot be reached' <<<"$(curl -s "http://127.0.0.1:${HTTP[$1]}/health")" ||
        fail "$1's /health does not name etcd: $(curl -s "http://127.0.0.1:${HTTP[$1]}/health")"
    echo "still-flowing" >>"$TMP/$1.log"
    _arrived() { grep -q still-flowing "$TMP/$1.out"; }
    wait_until "$1 delivers its line" _arrived "$1"
    key_absent "/mafio/agents/g1/$1" || fail "$1 registered although it should not reach etcd"
    kill -0 "${PID[$1]}" 2>/dev/null || fail "$1 died: $(tail -n 5 "$TMP/$1.err")"
}

check "etcd over TLS, any client: ca_file trusts it; without ca_file nothing is sent"
start_tls_etcd tls
REV=$(put_rev /mafio/config/g1 "$V1")
APP_LOG="$TMP/good.log" start good ",\"ca_file\":\"$TMP/ca.pem\""
APP_LOG="$TMP/noca.log" start noca ""
works good
refused noca "certificate verify failed (etcd.s certificate is not signed by a CA this agent trusts: set etcd.ca_file"
stop good
stop noca

check "etcd wanting client certificates: cert_file + key_file are presented; without them refused"
start_tls_etcd mtls --client-cert-auth --trusted-ca-file "$TMP/ca.pem"
REV=$(put_rev /mafio/config/g1 "$V1")
APP_LOG="$TMP/mtls.log" start mtls ",\"ca_file\":\"$TMP/ca.pem\",\"cert_file\":\"$TMP/client.pem\",\"key_file\":\"$TMP/client.key\""
APP_LOG="$TMP/nocert.log" start nocert ",\"ca_file\":\"$TMP/ca.pem\""
works mtls
refused nocert "set etcd.cert_file and etcd.key_file"
stop mtls
stop nocert
pass
