#!/usr/bin/env bash
# http:V1 against a real InfluxDB 1.x /write endpoint (Debian package influxdb; influxd on free
# loopback ports, data in the test's temp dir). The records are line protocol, sent as `raw`;
# every point must be counted by a query. One malformed line among them is refused (InfluxDB:
# 400 "partial write", the good points of that request stored): split_rejected re-sends the
# halves until the bad line is alone, and it lands in the dead-letter file. Re-sent points have
# the same series and time, so InfluxDB overwrites them and the count stays exact.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/influx_lib.sh"

start_influxd
curl -s -XPOST "$INFLUX/query" --data-urlencode "q=CREATE DATABASE mafio_http" >/dev/null

N=20000
BAD=7777
# One point per second from a fixed start, on 10 hosts: every point distinct.
awk -v n="$N" -v bad="$BAD" 'BEGIN {
    for (i = 1; i <= n; i++) {
        if (i == bad) print "cpu,host=h this is not line protocol"
        printf "cpu,host=h%d value=%d,idx=%di %d\n", i % 10, i * 3, i, 1700000000 + i
    } }' >"$TMP/points"
check "mafio posts $N points (and one malformed line) to $INFLUX/write as raw line protocol"
cat >"$TMP/config.json" <<EOF
{"inputs": [{"plugin": "stdin"}], "filters": [],
 "outputs": [{"plugin": "http:V1", "url": "$INFLUX/write?db=mafio_http&precision=s",
              "format": "raw", "batch_records": 1000, "dead_letter_path": "$TMP/dead.jsonl"}]}
EOF
run "$MAFIO" -config "$TMP/config.json" -plugins-dir "$MAFIO_PLUGINS" -data-dir "$TMP/data" \
    -http-address off -max-write-bulk-size 5000 <"$TMP/points"
[ "$RC" -eq 0 ] || fail "mafio exited with $(_describe_rc "$RC")"

count() {
    curl -s -G "$INFLUX/query" --data-urlencode "db=mafio_http" \
        --data-urlencode "q=SELECT count(\"value\"), sum(\"idx\") FROM cpu" >"$TMP/q.json"
    python3 -c 'import json,sys; v=json.load(open(sys.argv[1]))["results"][0]["series"][0]["values"][0]; print(v[1], v[2])' "$TMP/q.json" 2>/dev/null ||
        echo "none: $(cat "$TMP/q.json")"
}
check "a query counts all $N points, each once (sum of idx = N(N+1)/2)"
got="$(count)"
[ "$got" = "$N $((N * (N + 1) / 2))" ] || fail "count, sum(idx) = $got, expected $N $((N * (N + 1) / 2))"
check "the malformed line, alone, is in the dead-letter file with InfluxDB's 400"
[ "$(wc -l <"$TMP/dead.jsonl")" -eq 1 ] || fail "dead letters: $(cat "$TMP/dead.jsonl")"
python3 - "$TMP/dead.jsonl" <<'PY' || fail "bad dead letter: $(cat "$TMP/dead.jsonl")"
import json, sys
d = json.loads(open(sys.argv[1]).readline())
assert d["status"] == 400 and d["record"] == "cpu,host=h this is not line protocol", d
assert "db=" not in d["url"], d  # the query string (it may hold credentials) is not kept
PY
pass
