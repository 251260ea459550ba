# shellcheck shell=bash
# Helpers for the http:V1 tests: the Python test server (http_test_server.py) started on a free
# loopback port with its state in the test's temp dir, stopped by lib.sh's cleanup trap.

HTTP_SERVER_PY="$MAFIO_SOURCE_DIR/test/integration/http_test_server.py"

# start_http_server NAME ARGS...: starts the server with its state in $TMP/NAME and sets
# HTTP_PORT and HTTP_STATE.
start_http_server() {
    local name="$1"
    shift
    HTTP_STATE="$TMP/$name"
    mkdir -p "$HTTP_STATE"
    # fds 8 and 9 closed: a FIFO a test holds open there must see EOF when the test closes it.
    python3 "$HTTP_SERVER_PY" --port-file "$HTTP_STATE/port" --state "$HTTP_STATE" "$@" \
        2>"$HTTP_STATE/server.log" 8>&- 9>&- &
    local pid=$!
    BG_PIDS+=("$pid")
    HTTP_SERVER_PID=$pid
    _server_up() {
        kill -0 "$pid" 2>/dev/null || fail "the test server exited: $(tail -n 5 "$HTTP_STATE/server.log")"
        [ -s "$HTTP_STATE/port" ]
    }
    wait_until "the test server $name listens" _server_up
    HTTP_PORT="$(cat "$HTTP_STATE/port")"
}

# stat_of KEY: a counter of the server's stats.json.
stat_of() {
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' \
        "$HTTP_STATE/stats.json" "$1"
}
