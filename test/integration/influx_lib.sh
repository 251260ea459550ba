# shellcheck shell=bash
# A real InfluxDB 1.x (Debian package influxdb) for the scenarios that talk to one
# (test_influxdb.sh, test_http_output_influxdb.sh), on top of lib.sh (source it first). influxd
# runs on free loopback ports with its data in $TMP/influx: never the system service.
INFLUXD="${INFLUXD:-/usr/bin/influxd}"
[ -x "$INFLUXD" ] || fail "$INFLUXD is missing: install the Debian package influxdb (packaging/install-deps.sh does)"
command -v curl >/dev/null || fail "curl is missing (packaging/install-deps.sh installs it)"

# start_influxd: starts influxd and waits until it answers /ping. Sets HTTP_PORT (its HTTP API
# port), INFLUX (that API's URL) and INFLUXD_PID; stop_influxd (also run on exit) stops it.
start_influxd() {
    HTTP_PORT="$(free_port)"
    local rpc_port
    rpc_port="$(free_port)"
    INFLUX="http://127.0.0.1:$HTTP_PORT"
    mkdir -p "$TMP/influx"
    cat >"$TMP/influx/influxdb.conf" <<CONF
reporting-disabled = true
bind-address = "127.0.0.1:$rpc_port"
[meta]
  dir = "$TMP/influx/meta"
[data]
  dir = "$TMP/influx/data"
  wal-dir = "$TMP/influx/wal"
  query-log-enabled = false
[monitor]
  store-enabled = false
[http]
  enabled = true
  bind-address = "127.0.0.1:$HTTP_PORT"
  log-enabled = false
[logging]
  level = "warn"
CONF
    "$INFLUXD" run -config "$TMP/influx/influxdb.conf" >"$TMP/influx/log" 2>&1 &
    INFLUXD_PID=$!
    BG_PIDS+=("$INFLUXD_PID")
    trap 'stop_influxd; _cleanup' EXIT
    wait_until "influxd answers /ping on $INFLUX" influx_up
}

influx_up() {
    kill -0 "$INFLUXD_PID" 2>/dev/null || fail "influxd exited: $(tail -n 5 "$TMP/influx/log")"
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$INFLUX/ping")" = 204 ]
}

stop_influxd() { kill -TERM "$INFLUXD_PID" 2>/dev/null; }
