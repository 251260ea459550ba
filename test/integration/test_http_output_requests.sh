#!/usr/bin/env bash
# http:V1's requests as a server checks them (http_test_server.py --mode check):
#   A. basic auth from a file, gzip, a custom header, json_array: every record arrives exactly
#      once, JSON objects as they are, other lines wrapped with their escapes and invalid UTF-8
#      turned into U+FFFD; the password never appears in the agent's output.
#   B. a bearer token, ndjson, PUT, to a port where nothing listens yet (connection refused is
#      retried until the server starts), and a refused record without dead_letter_path: dropped
#      and counted with its reason.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/http_lib.sh"

check "-check refuses bad options, naming the option and what is accepted"
bad() { # OPTIONS-JSON MESSAGE
    expect_exit 1 "$MAFIO" -check -http-address off -plugins-dir "$MAFIO_PLUGINS" \
        -f "{\"outputs\": [{\"plugin\": \"http:V1\", $1}]}"
    expect_stderr_contains "$2"
}
bad '"url": "ftp://host/"' 'outputs[0].url: scheme "ftp" is not supported; expected http://'
bad '"url": "http://u:pw@host/"' 'outputs[0].url: the URL holds credentials'
bad '"url": "http://h/", "format": "xml"' 'outputs[0].format: expected one of "ndjson", "json_array", "raw"'
bad '"url": "http://h/", "headers": {"Content-Length": "5"}' 'outputs[0].headers.Content-Length: set by the output itself'
bad '"url": "http://h/", "user": "u"' 'outputs[0].user: basic auth needs both'
bad '"url": "http://h/", "insecure": true' 'outputs[0].insecure: only meaningful with an https:// url'
bad '"url": "http://h/", "dead_letter_path": "/nonexistent/d.jsonl"' 'outputs[0].dead_letter_path: the directory "/nonexistent"'
bad '"url": "http://h/", "token_file": "'"$TMP"'/none"' 'outputs[0].token_file: "'"$TMP"'/none" cannot be read'

N=2000
{
    for ((i = 1; i <= N; i++)); do printf 'line %d with "quotes"\tand a tab\n' "$i"; done
    echo '{"n":1,"k":"a JSON object, sent as it is"}'
    printf 'bad \xff byte\n'
} >"$TMP/input"
# What the server must receive: the same, with the invalid byte as U+FFFD.
{
    for ((i = 1; i <= N; i++)); do printf 'line %d with "quotes"\tand a tab\n' "$i"; done
    echo '{"n":1,"k":"a JSON object, sent as it is"}'
    printf 'bad \xef\xbf\xbd byte\n'
} | sort >"$TMP/want"

PASSWORD='s3cret-Pa55word'
printf '%s\n' "$PASSWORD" >"$TMP/password"
AUTH="Basic $(printf 'mafio:%s' "$PASSWORD" | base64)"
start_http_server a --mode check --format json_array --gzip --auth "$AUTH" --header "X-Tenant:team-a"
check "A: basic auth, gzip, headers, json_array"
cat >"$TMP/a.json" <<EOF
{"inputs": [{"plugin": "stdin"}], "filters": [],
 "outputs": [{"plugin": "http:V1", "url": "http://127.0.0.1:$HTTP_PORT/a", "format": "json_array",
              "compress": "gzip", "user": "mafio", "password_file": "$TMP/password",
              "headers": {"X-Tenant": "team-a"}, "batch_records": 300}]}
EOF
run "$MAFIO" -config "$TMP/a.json" -plugins-dir "$MAFIO_PLUGINS" -data-dir "$TMP/data-a" \
    -http-address off -log-level debug <"$TMP/input"
[ "$RC" -eq 0 ] || fail "mafio exited with $(_describe_rc "$RC")"
[ "$(stat_of errors)" = "[]" ] || fail "the server found problems: $(stat_of errors)"
sort "$HTTP_STATE/accepted" >"$TMP/got-a"
cmp -s "$TMP/want" "$TMP/got-a" || fail "A: received records differ: $(diff "$TMP/want" "$TMP/got-a" | head -n 6)"
[ "$(stat_of requests)" -ge $(((N + 299) / 300)) ] || fail "A: fewer requests than batch_records allows"
check "A: one kept-alive connection carried every request"
[ "$(stat_of connections)" -eq 1 ] || fail "A: $(stat_of connections) connections for $(stat_of requests) requests"
check "A: the password is in no log line"
! grep -qF "$PASSWORD" "$OUT" "$ERR" || fail "the password was logged"
! grep -qF "$(printf 'mafio:%s' "$PASSWORD" | base64)" "$OUT" "$ERR" || fail "the Authorization value was logged"

check "B: bearer token, ndjson, PUT, the server not there at first, a refused record dropped"
TOKEN='tok-0123456789abcdef'
printf '%s\n' "$TOKEN" >"$TMP/token"
PORT_B="$(free_port)"
API_PORT="$(free_port)"
cat >"$TMP/b.json" <<EOF
{"inputs": [{"plugin": "stdin"}], "filters": [],
 "outputs": [{"plugin": "http:V1", "id": "b", "url": "http://127.0.0.1:$PORT_B/b", "method": "PUT",
              "token_file": "$TMP/token", "batch_records": 100, "retry_max": "200ms"}]}
EOF
mkfifo "$TMP/in.fifo"
exec 8<>"$TMP/in.fifo"
"$MAFIO" -config "$TMP/b.json" -plugins-dir "$MAFIO_PLUGINS" -data-dir "$TMP/data-b" \
    -http-address "127.0.0.1:$API_PORT" <"$TMP/in.fifo" >"$TMP/b.out" 2>"$TMP/b.err" 8>&- &
AGENT=$!
BG_PIDS+=("$AGENT")
{ head -n 100 "$TMP/input"; echo "poison record"; tail -n +101 "$TMP/input"; } >&8
metric() { # NAME [LABEL]: the value of component b's series (0 when absent)
    curl -s "http://127.0.0.1:$API_PORT/metrics" |
        awk -v n="$1" -v l="${2:-}" '$1 ~ "^"n"\\{" && $1 ~ /component="b"/ && index($1, l) { v = $2 } END { print v + 0 }'
}
refused_counted() { [ "$(metric mafio_plugin_retries_connection_total)" -ge 2 ]; }
wait_until "connection refused is counted and retried" refused_counted
start_http_server b --port "$PORT_B" --mode check --format ndjson --method PUT --auth "Bearer $TOKEN"
all_accepted() { [ -f "$HTTP_STATE/accepted" ] && [ "$(wc -l <"$HTTP_STATE/accepted")" -ge $((N + 2)) ]; }
wait_until "the server accepted all $((N + 2)) good records" all_accepted
check "B: the refused record is counted as dropped, reason rejected"
[ "$(metric mafio_records_dropped_by_reason_total 'reason="rejected"')" = 1 ] ||
    fail "no drop counted: $(curl -s "http://127.0.0.1:$API_PORT/metrics" | grep -i drop)"
exec 8>&-
wait_exit "$AGENT"
[ "$RC" -eq 0 ] || fail "mafio exited with $(_describe_rc "$RC"): $(tail -n 5 "$TMP/b.err")"
[ "$(stat_of errors)" = "[]" ] || fail "the server found problems: $(stat_of errors)"
sort "$HTTP_STATE/accepted" >"$TMP/got-b"
cmp -s "$TMP/want" "$TMP/got-b" || fail "B: received records differ: $(diff "$TMP/want" "$TMP/got-b" | head -n 6)"
grep -q "dropped (set dead_letter_path to keep them)" "$TMP/b.err" || fail "no drop line: $(cat "$TMP/b.err")"
! grep -qF "$TOKEN" "$TMP/b.out" "$TMP/b.err" || fail "the token was logged"
pass
