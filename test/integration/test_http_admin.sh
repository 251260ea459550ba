#!/usr/bin/env bash
# The admin rule of the monitoring API with a real non-loopback client: a network namespace
# joined to this one by a veth pair gives a client whose address is not 127.0.0.0/8. The agent
# listens on every interface (the default address), as the field test of 0.3 found it.
#   1. No token file: remote POST /debug?cmd=gc is 403 with a body saying how to authorise,
#      remote GETs (and /ping) answer as usual, loopback may POST.
#   2. http.admin_token_file: remote POST without a token is 401 (WWW-Authenticate), with a
#      wrong one 401, with the right one 200; loopback needs it too; the token shows up neither in
#      the log nor in any answer.
#   2b. -http-admin-token-file overrides the config's file; a token file others may read is
#      warned about.
#   3. A token file that cannot be used stops -check and the start (exit 1), naming
#      http.admin_token_file.
# Needs root and `ip netns` (iproute2); MAFIO_TEST_NO_NETNS=1 skips parts 1 and 2 where
# network namespaces cannot be made (an unprivileged container), loudly.
. "$(dirname "$0")/lib.sh"

command -v curl >/dev/null || fail "curl is needed (packaging/install-deps.sh installs it)"

# ---- 3. unusable token files (no namespace needed) ----
printf 'short\n' >"$TMP/short.token"
printf '{"http": {"address": "off", "admin_token_file": "%s"}}' "$TMP/short.token" >"$TMP/short.json"
expect_exit 1 "$MAFIO" -check -plugins-dir "$MAFIO_PLUGINS" -config "$TMP/short.json"
expect_stderr_contains "http.admin_token_file" "16 to 1024 characters" "short.token"
printf '{"http": {"admin_token_file": "%s"}}' "$TMP/missing.token" >"$TMP/missing.json"
expect_exit 1 "$MAFIO" -check -plugins-dir "$MAFIO_PLUGINS" -config "$TMP/missing.json"
expect_stderr_contains "http.admin_token_file" "cannot read" "missing.token"
expect_exit 1 "$MAFIO" -check -plugins-dir "$MAFIO_PLUGINS" -http-admin-token-file "$TMP/short.token"
expect_stderr_contains "-http-admin-token-file" "16 to 1024 characters" "short.token"

if [ -n "${MAFIO_TEST_NO_NETNS:-}" ]; then
    log "SKIPPED the non-loopback client checks (MAFIO_TEST_NO_NETNS is set)"
    pass
fi
[ "$(id -u)" -eq 0 ] || fail "needs root for a network namespace (or set MAFIO_TEST_NO_NETNS=1 to skip that part)"
command -v ip >/dev/null || fail "ip (iproute2) is needed for a network namespace"

# ---- the remote client: namespace + veth pair, removed on exit ----
NS="mafio-http-$$"
VETH="mh$$"
NET="10.$((200 + $$ % 50)).$(($$ / 50 % 250))"
HOST_IP="$NET.1"
CLIENT_IP="$NET.2"
_netns_cleanup() {
    ip link del "${VETH}a" 2>/dev/null
    ip netns del "$NS" 2>/dev/null
}
trap '_netns_cleanup; _cleanup' EXIT
check "a network namespace $NS with $CLIENT_IP, joined to $HOST_IP by a veth pair"
ip netns add "$NS" || fail "cannot create a network namespace (not privileged?)"
ip link add "${VETH}a" type veth peer name "${VETH}b" || fail "cannot create a veth pair"
ip link set "${VETH}b" netns "$NS" &&
    ip addr add "$HOST_IP/30" dev "${VETH}a" && ip link set "${VETH}a" up &&
    ip -n "$NS" addr add "$CLIENT_IP/30" dev "${VETH}b" && ip -n "$NS" link set "${VETH}b" up &&
    ip -n "$NS" link set lo up || fail "cannot configure the veth pair"

PORT="$(free_port)"
REMOTE="http://$HOST_IP:$PORT"
LOCAL="http://127.0.0.1:$PORT"
# remote_curl ARGS...: curl from the namespace; prints the status, the body goes to $TMP/body.
remote_curl() { ip netns exec "$NS" curl -s -m 30 -o "$TMP/body" -D "$TMP/head" -w '%{http_code}' "$@"; }
local_curl() { curl -s -m 30 -o "$TMP/body" -D "$TMP/head" -w '%{http_code}' "$@"; }
expect_status() { # WANT WHAT STATUS
    check "$2: $1"
    [ "$3" = "$1" ] || fail "$2: expected $1, got $3: $(head -c 400 "$TMP/body")"
}

open_idle_stdin
start_agent() { # ARGS...: runs the agent on the idle stdin, listening on every interface
    "$MAFIO" -plugins-dir "$MAFIO_PLUGINS" -data-dir "$TMP/data" -http-address ":$PORT" "$@" \
        <"$IDLE_STDIN" >/dev/null 2>"$ERR" &
    AGENT=$!
    BG_PIDS+=("$AGENT")
    api_up() { ip netns exec "$NS" curl -s -m 5 -o /dev/null "$REMOTE/ping"; }
    wait_until "the API answers the namespace on $REMOTE" api_up
}
stop_agent() {
    kill -TERM "$AGENT"
    wait_exit "$AGENT"
    [ "$RC" -eq 0 ] || fail "the agent exited with $(_describe_rc "$RC")"
}

# ---- 1. no token file ----
start_agent
expect_status 200 "remote GET /ping" "$(remote_curl "$REMOTE/ping")"
grep -qx 'OK' "$TMP/body" || fail "/ping answered $(cat "$TMP/body")"
expect_status 200 "remote GET /debug?cmd=gc (reading)" "$(remote_curl "$REMOTE/debug?cmd=gc")"
expect_status 403 "remote POST /debug?cmd=gc without a token file" \
    "$(remote_curl -X POST "$REMOTE/debug?cmd=gc")"
grep -q '"authorize"' "$TMP/body" && grep -q 'admin_token_file' "$TMP/body" ||
    fail "the 403 does not say how to authorise: $(cat "$TMP/body")"
expect_status 403 "remote POST with a form body" "$(remote_curl -d cmd=gc "$REMOTE/debug")"
expect_status 403 "remote POST /reload" "$(remote_curl -X POST "$REMOTE/reload")"
expect_status 403 "remote POST /components/<id>/plugin" \
    "$(remote_curl -X POST -d '{"plugin":"stdin"}' "$REMOTE/components/stdin/plugin")"
expect_status 403 "remote POST with some bearer token, none configured" \
    "$(remote_curl -X POST -H 'Authorization: Bearer 0123456789abcdef0123' "$REMOTE/debug?cmd=gc")"
expect_status 200 "loopback POST /debug?cmd=gc" "$(local_curl -X POST "$LOCAL/debug?cmd=gc")"
grep -q rss_before_bytes "$TMP/body" || fail "loopback POST did not run gc: $(cat "$TMP/body")"
stop_agent

# ---- 2. a token file ----
TOKEN="$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
printf '%s\n' "$TOKEN" >"$TMP/admin.token"
chmod 600 "$TMP/admin.token"
printf '{"http": {"address": ":%s", "admin_token_file": "%s"}}' "$PORT" "$TMP/admin.token" \
    >"$TMP/agent.json"
start_agent -config "$TMP/agent.json"
expect_status 401 "remote POST without Authorization" "$(remote_curl -X POST "$REMOTE/debug?cmd=gc")"
grep -qi '^WWW-Authenticate: Bearer realm="mafio"' "$TMP/head" || fail "no WWW-Authenticate: $(cat "$TMP/head")"
grep -q '"authorize"' "$TMP/body" || fail "the 401 does not say how to authorise: $(cat "$TMP/body")"
expect_status 401 "remote POST with a wrong token" \
    "$(remote_curl -X POST -H "Authorization: Bearer ${TOKEN%?}x" "$REMOTE/debug?cmd=gc")"
grep -qi 'invalid_token' "$TMP/head" || fail "no invalid_token in: $(cat "$TMP/head")"
expect_status 401 "remote POST with the token as Basic credentials" \
    "$(remote_curl -X POST -H "Authorization: Basic $TOKEN" "$REMOTE/debug?cmd=gc")"
expect_status 200 "remote POST with the right token" \
    "$(remote_curl -X POST -H "Authorization: Bearer $TOKEN" "$REMOTE/debug?cmd=gc")"
grep -q rss_before_bytes "$TMP/body" || fail "the authorised POST did not run gc: $(cat "$TMP/body")"
expect_status 200 "remote form POST with the right token" \
    "$(remote_curl -H "Authorization: Bearer $TOKEN" -d cmd=gc "$REMOTE/debug")"
expect_status 401 "loopback POST without the token, once a token file is set" \
    "$(local_curl -X POST "$LOCAL/debug?cmd=gc")"
expect_status 200 "loopback POST with the token" \
    "$(local_curl -X POST -H "Authorization: Bearer $TOKEN" "$LOCAL/debug?cmd=gc")"
check "the token appears in no answer"
for path in /version /health /metrics /plugins /pipeline "/debug?cmd=heap" "/debug?cmd=go" /nope; do
    local_curl "$LOCAL$path" >/dev/null
    ! grep -qF "$TOKEN" "$TMP/body" "$TMP/head" || fail "$path shows the token"
done
stop_agent
check "the token appears nowhere in the log"
! grep -qF "$TOKEN" "$ERR" || fail "the log shows the token"
! grep -qi 'can be read by other users' "$ERR" || fail "a chmod 600 token file was called readable"

# ---- 2b. the same token through the flag, which overrides the config's ----
printf 'a-token-the-flag-replaces-0123\n' >"$TMP/other.token"
printf '{"http": {"admin_token_file": "%s"}}' "$TMP/other.token" >"$TMP/other.json"
chmod 644 "$TMP/admin.token"
start_agent -config "$TMP/other.json" -http-admin-token-file "$TMP/admin.token"
expect_status 200 "remote POST with the flag's token" \
    "$(remote_curl -X POST -H "Authorization: Bearer $TOKEN" "$REMOTE/debug?cmd=gc")"
expect_status 401 "remote POST with the config's token, which the flag replaced" \
    "$(remote_curl -X POST -H "Authorization: Bearer a-token-the-flag-replaces-0123" "$REMOTE/debug?cmd=gc")"
stop_agent
expect_stderr_contains "can be read by other users"
pass
