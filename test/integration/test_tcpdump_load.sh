#!/usr/bin/env bash
# tcpdump:V1 under load (as root): thousands of keep-alive requests against a local server.
# Never silent loss: the records written plus the records counted as dropped equal the requests
# made, (1) with a fast output, and (2) with an output that is blocked during the whole load, so
# the plugin's pending queue overflows while the capture keeps draining (drops must be > 0 and
# counted as mafio_records_dropped_by_reason_total{reason="pipeline_full"}). Prints figures:
# requests/s, packets captured, the agent's CPU.
#
# The input has an explicit id ("capture"): the derived one names the interface (tcpdump-lo) and
# has changed before, and a label matching nothing read as 0 drops. tcpdump_http.py metric now
# fails when no series matches; require_series says so at each start.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tcpdump_live_lib.sh"
require_capture_rights

M=${TCPDUMP_LOAD_REQUESTS:-5000}
P=$(free_port)
start_server "$P"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
dropped() {
    metric mafio_records_dropped_by_reason_total component=capture reason=pipeline_full
}
kernel_dropped() { metric mafio_plugin_pcap_dropped_packets_total component=capture; }
parsed() { metric mafio_plugin_records_http_total component=capture; }
# Every series the test reads exists from the start; a missing one would read as empty below.
require_series() {
    local f
    for f in dropped kernel_dropped parsed; do
        $f >/dev/null || fail "the agent's /metrics lacks a series the test reads ($f, above)"
    done
}

_parsed() { [ "$(parsed)" -ge "$M" ]; }

# run_load CONFIG LABEL OUTFILE: starts the agent, makes M requests, prints figures.
run_load() {
    start_agent "$1"
    require_series
    local t0 c0 t1 c1 made
    t0=$(date +%s.%N)
    c0=$(cpu_ticks "$AGENT_PID")
    made=$(python3 "$HTTPPY" load "$P" "$M" 4) || fail "the load client failed"
    [ "$made" -eq "$M" ] || fail "the client made $made requests, not $M"
    wait_until "the agent parsed $M requests" _parsed
    t1=$(date +%s.%N)
    c1=$(cpu_ticks "$AGENT_PID")
    log "$2: $M requests in $(echo "$t1 - $t0" | bc) s; packets captured: $(metric mafio_plugin_packets_captured_total); agent CPU $(((c1 - c0) * 1000 / $(getconf CLK_TCK))) ms; kernel drops: $(kernel_dropped)"
}

# (1) A fast output: everything is written (drops are allowed but counted).
cat >"$TMP/load.json" <<JSON
{"inputs": [{"plugin": "tcpdump:V1", "id": "capture", "interfaces": "lo", "http_ports": $P}],
 "filters": [], "outputs": [{"plugin": "stdout"}]}
JSON
run_load "$TMP/load.json" "fast output"
_balanced() { [ $(($(lines "$AGENT_OUT") + $(dropped))) -eq "$M" ]; }
wait_until "records + counted drops == $M" _balanced
log "fast output: $(lines "$AGENT_OUT") records, $(dropped) dropped"
[ "$(kernel_dropped)" -eq 0 ] || fail "the kernel dropped packets: the test cannot balance"
kill -TERM "$AGENT_PID"
wait_exit "$AGENT_PID"
[ "$RC" -eq 0 ] || fail "the agent exited $RC"
check "every record is a request made, once"
python3 - "$AGENT_OUT" "$M" <<'PY' || fail "records are not the requests made (above)"
import json, sys
urls = [json.loads(l)["url"] for l in open(sys.argv[1])]
if len(set(urls)) != len(urls) or any(not u.startswith("/load/") for u in urls):
    print("duplicates or strangers among", len(urls)); sys.exit(1)
PY

# (2) The output is blocked for the whole load (stdout is a FIFO nobody reads yet), and at most
# 16 records may wait in the plugin: the capture must drop and count, not stall or lose.
# Drops are certain, whatever the speed of the machine: with both channels at 16 records (batches
# of 4), what the pipeline can hold while blocked is those channels, a batch in the hands of each
# stage, and the FIFO's 64 KiB (about 260 records of about 250 bytes): some 350 records, plus the
# 16 pending. Every further request can only be dropped, and the test waits until all M are parsed.
[ "$M" -ge 1000 ] || fail "TCPDUMP_LOAD_REQUESTS=$M: the blocked phase needs at least 1000 to overflow"
FIFO="$TMP/out.fifo"
mkfifo "$FIFO"
exec 8<>"$FIFO"
cat >"$TMP/blocked.json" <<JSON
{"inputs": [{"plugin": "tcpdump:V1", "id": "capture", "interfaces": "lo", "http_ports": $P,
             "max_pending_records": 16}],
 "filters": [], "outputs": [{"plugin": "stdout"}]}
JSON
API_PORT=$(free_port)
AGENT_ERR="$TMP/blocked.err"
"$MAFIO" -config "$TMP/blocked.json" -http-address "127.0.0.1:$API_PORT" -data-dir "$TMP/data2" \
    -max-read-channel-size 16 -max-write-channel-size 16 >"$FIFO" 2>"$AGENT_ERR" &
AGENT_PID=$!
BG_PIDS+=($AGENT_PID)
wait_until "the capture runs" grep -qs "capturing on" "$AGENT_ERR"
require_series
made=$(python3 "$HTTPPY" load "$P" "$M" 4) || fail "the load client failed"
[ "$made" -eq "$M" ] || fail "the client made $made requests, not $M"
wait_until "the agent parsed $M requests" _parsed
# The plugin publishes its drops before the records produced, so they are all counted by now.
check "records were dropped and counted while the output was blocked"
[ "$(dropped)" -gt 0 ] || fail "no drop counted although the output was blocked"
cat <&8 >"$TMP/blocked.out" &
CAT_PID=$!
BG_PIDS+=($CAT_PID)
AGENT_OUT="$TMP/blocked.out"
wait_until "records + counted drops == $M" _balanced
log "blocked output: $(lines "$AGENT_OUT") records, $(dropped) dropped (pipeline_full), kernel drops $(kernel_dropped)"
kill -TERM "$AGENT_PID"
wait_exit "$AGENT_PID"
[ "$RC" -eq 0 ] || fail "the agent exited $RC"
pass
