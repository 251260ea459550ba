# shellcheck shell=bash
# Shared by the test_syslog_*.sh tests (sourced after lib.sh): starting an agent whose syslog:V1
# input writes its records to stdout, waiting for records, reading its metrics.

command -v curl >/dev/null || fail "curl is needed (packaging/install-deps.sh installs it)"

# start_syslog_agent OUTFILE OPTIONS_JSON_MEMBERS: syslog:V1 with those options -> stdout:V1
# into OUTFILE; sets AGENT (pid) and HTTP (the API port), stderr in $ERR. Waits until it listens.
start_syslog_agent() {
    local out="$1" members="$2"
    HTTP="$(free_port)"
    "$MAFIO" -http-address "127.0.0.1:$HTTP" -data-dir "$TMP/data" -filter= -output=stdout:V1 \
        -f "{\"inputs\":[{\"plugin\":\"syslog:V1\",$members}]}" >"$out" 2>"$ERR" &
    AGENT=$!
    BG_PIDS+=("$AGENT")
    wait_until "the agent listens" grep -q "listening on" "$ERR"
}

_lines_at_least() { [ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ]; }
# wait_records FILE N: until FILE holds at least N lines.
wait_records() { wait_until "$1 holds $2 records" _lines_at_least "$1" "$2"; }

# metric NAME: the value of mafio_plugin_NAME for the syslog component (0 when absent); for
# dropped_REASON, mafio_records_dropped_by_reason_total{reason="REASON"} (the host exports
# dropped_ counters there).
metric() {
    case "$1" in
    dropped_*)
        curl -s "http://127.0.0.1:$HTTP/metrics" | awk -v r="reason=\"${1#dropped_}\"" \
            '/^mafio_records_dropped_by_reason_total[{]/ && /plugin="syslog:V1"/ && index($0, r) { n = $NF } END { print n + 0 }'
        return ;;
    esac
    curl -s "http://127.0.0.1:$HTTP/metrics" |
        awk -v m="mafio_plugin_$1" '$1 ~ "^" m "(_total)?[{]" && /plugin="syslog:V1"/ { n = $NF } END { print n + 0 }'
}

# expect_metric NAME VALUE
expect_metric() {
    check "metric $1 is $2"
    local v
    v="$(metric "$1")"
    [ "$v" = "$2" ] || fail "metric $1 is $v, expected $2"
}

_metric_is() { [ "$(metric "$1")" = "$2" ]; }
# wait_metric NAME VALUE: for gauges that settle after the records arrive.
wait_metric() { wait_until "metric $1 is $2" _metric_is "$1" "$2"; }

# stop_agent: SIGTERM, and the agent exits 0.
stop_agent() {
    kill -TERM "$AGENT"
    wait_exit "$AGENT"
    [ "$RC" -eq 0 ] || fail "the agent exited $(_describe_rc "$RC"), expected 0"
}
