#!/usr/bin/env bash
# The InfluxDB pusher against a real InfluxDB 1.x (Debian package influxdb): influxd runs on
# free loopback ports with its data in the test's temp dir. After mafio has read N records from
# stdin and exited (the final push at shutdown records even a run shorter than one interval),
# the database named after the agent group exists and its counters say N.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/influx_lib.sh"

start_influxd

# query Q: the JSON answer of an InfluxQL query on database testgrp.
query() { curl -s -G "$INFLUX/query" --data-urlencode "db=testgrp" --data-urlencode "q=$1"; }

N=25000
seq 1 "$N" >"$TMP/input"
check "mafio reads $N records and pushes its metrics to $INFLUX"
run "$MAFIO" -agent-id influxtest -agent-group testgrp -influxdb-addr "127.0.0.1:$HTTP_PORT" \
    -http-address off -plugins-dir "$MAFIO_PLUGINS" -data-dir "$TMP/data" -output logr \
    -f "{\"outputs\": [{\"plugin\": \"logr\", \"path\": \"$TMP/out.log\"}]}" <"$TMP/input"
[ "$RC" -eq 0 ] || fail "mafio exited with $(_describe_rc "$RC")"
expect_same_file "$TMP/input" "$TMP/out.log" "the records written"
expect_stderr_contains "pushing metrics to InfluxDB"
! grep -qi "push failed" "$ERR" || fail "a push failed: $(grep -i 'push failed' "$ERR")"

check "the database testgrp exists"
curl -s -G "$INFLUX/query" --data-urlencode "q=SHOW DATABASES" >"$TMP/dbs.json"
grep -q '"testgrp"' "$TMP/dbs.json" || fail "no database testgrp: $(cat "$TMP/dbs.json")"

# The last point of each counter carries the final figures of the run.
last_value() { # MEASUREMENT WHERE -> the last "value" as a plain number
    query "SELECT last(\"value\") FROM \"$1\" WHERE $2" >"$TMP/q.json"
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["results"][0]["series"][0]["values"][0][1])' "$TMP/q.json" 2>/dev/null ||
        fail "no value of $1 where $2: $(cat "$TMP/q.json")"
}
check "records in of the stdin component is $N"
got="$(last_value mafio_records_in_total "\"component\"='stdin' AND \"agent\"='influxtest' AND \"group\"='testgrp' AND \"plugin\"='stdin:V1' AND \"kind\"='input'")"
[ "$got" = "$N" ] || fail "mafio_records_in_total for inputs[0] is $got, expected $N"
check "records out of the logr output is $N"
got="$(last_value mafio_records_out_total "\"kind\"='output' AND \"plugin\"='logr:V1'")"
[ "$got" = "$N" ] || fail "mafio_records_out_total for outputs[0] is $got, expected $N"
check "process metrics arrived too"
got="$(last_value process_resident_memory_bytes "\"agent\"='influxtest'")"
[ "$got" -gt 0 ] || fail "RSS is $got"

# A dead InfluxDB must neither block nor fail the agent: one warning per failure streak.
check "with InfluxDB stopped, the agent still delivers everything and exits 0"
stop_influxd
wait "$INFLUXD_PID" 2>/dev/null
run "$MAFIO" -influxdb-addr "127.0.0.1:$HTTP_PORT" -http-address off -plugins-dir "$MAFIO_PLUGINS" \
    -data-dir "$TMP/data2" <"$TMP/input"
[ "$RC" -eq 0 ] || fail "mafio exited with $(_describe_rc "$RC") while InfluxDB was down"
expect_same_file "$TMP/input" "$OUT" "stdout with InfluxDB down"
expect_stderr_contains "push failed"
[ "$(grep -ci 'push failed' "$ERR")" -eq 1 ] || fail "expected one 'push failed' line per failure streak: $(grep -i 'push failed' "$ERR")"
pass
