# shellcheck shell=bash
# Shared by the live tcpdump:V1 tests (sourced after lib.sh): root check, servers, the agent.
#
# Live capture needs CAP_NET_RAW. CI runs as root, where these tests must run and pass; as
# another user they are skipped, loudly, and only then.
require_capture_rights() {
    if [ "$(id -u)" -ne 0 ]; then
        echo "[$TEST_NAME] ******** SKIPPED: live capture needs root (CAP_NET_RAW); run as root to test it ********" >&2
        exit 0
    fi
    command -v curl >/dev/null || fail "curl is needed"
}

HTTPPY="$MAFIO_SOURCE_DIR/test/integration/tcpdump_http.py"

listening() {
    kill -0 "$SERVER_PID" 2>/dev/null || fail "the test server on $1 exited"
    python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' "$1" 2>/dev/null
}

# start_server PORT [EXECUTABLE]: the test server, under another executable name if given.
start_server() {
    "${2:-python3}" "$HTTPPY" serve "$1" &
    BG_PIDS+=($!)
    SERVER_PID=$!
    wait_until "a server listens on $1" listening "$1"
}

# start_agent CONFIG: mafio in the background, stdout -> $AGENT_OUT, stderr -> $AGENT_ERR, its
# API on $API_PORT; returns once the capture runs.
start_agent() {
    API_PORT=$(free_port)
    AGENT_OUT="$TMP/agent.out"
    AGENT_ERR="$TMP/agent.err"
    "$MAFIO" -config "$1" -http-address "127.0.0.1:$API_PORT" -data-dir "$TMP/data" \
        >"$AGENT_OUT" 2>"$AGENT_ERR" &
    AGENT_PID=$!
    BG_PIDS+=($AGENT_PID)
    wait_until "the capture runs" grep -qs "capturing on" "$AGENT_ERR"
}

metric() { python3 "$HTTPPY" metric "http://127.0.0.1:$API_PORT/metrics" "$@"; }
lines() { if [ -f "$1" ]; then wc -l <"$1"; else echo 0; fi; }
