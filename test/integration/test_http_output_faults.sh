#!/usr/bin/env bash
# http:V1 against a fault-injecting server (http_test_server.py --mode fault): 503 with
# Retry-After in seconds and as an HTTP date, 500 at random (seeded), replies slower than the
# timeout, connection resets, and one poison record that always gets 400. Every good record must
# be delivered at least once; duplicates only from replies the client never saw (slow replies),
# counted; the poison record in the dead-letter file with its status; nothing lost. The agent's
# metrics must count the retries and the dead letter.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/http_lib.sh"

N=3000
POISON=1234
start_http_server fault --mode fault --seed 7 --slow 1.5
for ((i = 1; i <= N; i++)); do
    if [ "$i" = "$POISON" ]; then echo "poison $i"; else printf 'rec %06d\n' "$i"; fi
done >"$TMP/input"

API_PORT="$(free_port)"
cat >"$TMP/config.json" <<EOF
{"inputs": [{"plugin": "stdin"}], "filters": [],
 "outputs": [{"plugin": "http:V1", "id": "sink", "url": "http://127.0.0.1:$HTTP_PORT/ingest",
              "format": "raw", "batch_records": 50, "timeout": "500ms",
              "dead_letter_path": "$TMP/dead.jsonl", "retry_max": "500ms"}]}
EOF
# stdin stays open (a FIFO held by this shell) until the metrics have been read.
mkfifo "$TMP/in.fifo"
exec 8<>"$TMP/in.fifo"
"$MAFIO" -config "$TMP/config.json" -plugins-dir "$MAFIO_PLUGINS" -data-dir "$TMP/data" \
    -http-address "127.0.0.1:$API_PORT" <"$TMP/in.fifo" >"$TMP/agent.out" 2>"$TMP/agent.err" 8>&- &
AGENT=$!
BG_PIDS+=("$AGENT")
cat "$TMP/input" >&8

unique_accepted() { [ -f "$HTTP_STATE/accepted" ] && sort -u "$HTTP_STATE/accepted" | wc -l || echo 0; }
all_good_accepted() { [ "$(unique_accepted)" -ge $((N - 1)) ]; }
wait_until "the server accepted $((N - 1)) distinct records" all_good_accepted
wait_for_file "$TMP/dead.jsonl"

metrics() { curl -s "http://127.0.0.1:$API_PORT/metrics"; }
metric() { # NAME -> the value of the sink component's series (0 when absent)
    metrics | awk -v n="$1" '$1 ~ "^"n"\\{" && $1 ~ /component="sink"/ { v = $2 } END { print v + 0 }'
}
check "metrics: the poison record is counted as dead-lettered, retries are counted"
[ "$(metric mafio_plugin_records_dead_lettered_total)" = 1 ] || fail "records_dead_lettered: $(metrics | grep dead_letter)"
[ "$(metric mafio_plugin_records_rejected_total)" = 1 ] || fail "records_rejected: $(metrics | grep rejected)"
[ "$(metric mafio_plugin_retries_status_total)" -ge 3 ] || fail "retries_status: $(metrics | grep retries_)"
[ "$(metric mafio_plugin_retries_timeout_total)" -ge 1 ] || fail "retries_timeout: $(metrics | grep retries_)"
# A reset kept-alive connection is first tried again at once on a new one (reconnects); only a
# second failure is a retry with backoff.
[ $(($(metric mafio_plugin_retries_connection_total) + $(metric mafio_plugin_reconnects_total))) -ge 1 ] ||
    fail "neither retries_connection nor reconnects: $(metrics | grep -E 'retries_|reconnects')"
[ "$(metric mafio_plugin_records_unconfirmed_total)" -ge 1 ] || fail "records_unconfirmed: $(metrics | grep unconfirmed)"

exec 8>&- # EOF: the agent drains and exits
wait_exit "$AGENT"
[ "$RC" -eq 0 ] || { cat "$TMP/agent.err" >&2; fail "mafio exited with $(_describe_rc "$RC")"; }

check "the server saw every kind of fault"
for k in s503 s500 s400 slow reset; do
    [ "$(stat_of "$k")" -ge 1 ] || fail "no $k happened: $(cat "$HTTP_STATE/stats.json")"
done

check "every good record delivered at least once, and nothing else"
grep -v "^poison" "$TMP/input" | sort >"$TMP/want"
sort -u "$HTTP_STATE/accepted" >"$TMP/got"
if ! cmp -s "$TMP/want" "$TMP/got"; then
    fail "delivered records differ: $(comm -3 "$TMP/want" "$TMP/got" | head -n 5)"
fi
dups=$(($(wc -l <"$HTTP_STATE/accepted") - $(wc -l <"$TMP/got")))
slow=$(stat_of slow_records)
log "duplicates: $dups (records accepted in replies slower than the timeout: $slow)"
check "duplicates ($dups) come only from replies the client never saw ($slow records)"
[ "$dups" -le "$slow" ] || fail "$dups duplicates, more than the $slow records of slow replies"

check "the poison record is in the dead-letter file, with status 400, and only it"
[ "$(wc -l <"$TMP/dead.jsonl")" -eq 1 ] || fail "dead letters: $(cat "$TMP/dead.jsonl")"
python3 - "$TMP/dead.jsonl" "$POISON" <<'PY' || fail "bad dead letter: $(cat "$TMP/dead.jsonl")"
import json, sys
d = json.loads(open(sys.argv[1]).readline())
assert d["status"] == 400 and d["record"] == "poison " + sys.argv[2], d
assert "poison record" in d["response"] and d["url"].endswith("/ingest"), d
PY
check "the agent logged the refusal and the retry streaks"
grep -q "400 Bad Request for 1 record" "$TMP/agent.err" || fail "no refusal line: $(head -n 20 "$TMP/agent.err")"
grep -q "retrying with backoff" "$TMP/agent.err" || fail "no retry line"
grep -q "delivering again" "$TMP/agent.err" || fail "no recovery line"
pass
