#!/usr/bin/env bash
# parser:V1 and grep:V1 end to end, through the real binary and plugins:
#   1. stdin -> parser(nginx) -> grep on a typed field -> stdout: exactly the expected JSON lines
#      (a line that does not parse passes the parser unchanged and is not JSON for grep's rule).
#   2. key + logfmt + types + keep_original, then grep exclude on a nested key: exact output.
#   3. on_error drop: failures are dropped and counted in /metrics (parse_errors, dropped).
#   4. Bad options exit 1 before anything is read, naming the option and what is accepted.
. "$(dirname "$0")/lib.sh"

AGENT=("$MAFIO" -http-address=off "-data-dir=$TMP/state" -log-level=warn)

cat >"$TMP/access.log" <<'LOG'
93.184.216.34 - - [24/Nov/2026:10:00:01 +0000] "GET /index.html HTTP/1.1" 200 512 "-" "curl/8.5.0"
10.0.0.2 - bob [24/Nov/2026:10:00:02 +0100] "POST /api/orders HTTP/1.1" 502 17 "https://shop.example/cart" "Mozilla/5.0 (X11; Linux x86_64)"
this line is not an access log line
10.0.0.3 - - [24/Nov/2026:10:00:03 +0000] "GET /health HTTP/1.1" 503 0 "-" "kube-probe/1.29"
10.0.0.4 - - [24/Nov/2026:10:00:04 +0000] "GET /missing HTTP/1.1" 404 153 "-" "curl/8.5.0"
LOG
cat >"$TMP/expected-5xx.txt" <<'JSON'
{"remote_addr":"10.0.0.2","remote_user":"bob","time":"24/Nov/2026:10:00:02 +0100","method":"POST","path":"/api/orders","protocol":"HTTP/1.1","status":502,"size":17,"referer":"https://shop.example/cart","agent":"Mozilla/5.0 (X11; Linux x86_64)"}
{"remote_addr":"10.0.0.3","remote_user":"-","time":"24/Nov/2026:10:00:03 +0000","method":"GET","path":"/health","protocol":"HTTP/1.1","status":503,"size":0,"referer":"-","agent":"kube-probe/1.29"}
JSON

check "nginx lines -> parser(nginx) -> grep status ^5 -> stdout"
run "${AGENT[@]}" -f '{"inputs":[{"plugin":"stdin:V1"}],
    "filters":[{"plugin":"parser:V1","format":"nginx"},
               {"plugin":"grep:V1","regex":{"key":"status","regex":"^5"}}],
    "outputs":[{"plugin":"stdout:V1"}]}' <"$TMP/access.log"
[ "$RC" -eq 0 ] || fail "exit $(_describe_rc "$RC"): $(cat "$ERR")"
expect_same_file "$TMP/expected-5xx.txt" "$OUT" "parsed and grepped output"

check "without grep, the unparsable line passes unchanged between the JSON records"
run "${AGENT[@]}" -input=stdin:V1 -output=stdout:V1 \
    -f '{"filters":[{"plugin":"parser:V1","format":"nginx"}]}' <"$TMP/access.log"
[ "$RC" -eq 0 ] || fail "exit $(_describe_rc "$RC"): $(cat "$ERR")"
[ "$(sed -n 3p "$OUT")" = "this line is not an access log line" ] || fail "line 3: $(sed -n 3p "$OUT")"
[ "$(grep -c '^{"remote_addr"' "$OUT")" = 4 ] || fail "expected 4 JSON records in: $(cat "$OUT")"

cat >"$TMP/app.log" <<'LOG'
{"kubernetes":{"pod":"web-1","ns":"shop"},"log":"level=info msg=\"order placed\" rt=0.042 ok=true"}
{"kubernetes":{"pod":"web-2","ns":"kube-system"},"log":"level=warn msg=\"slow\" rt=1.5 ok=false"}
{"kubernetes":{"pod":"web-3","ns":"shop"},"log":"level=error msg=\"caf\u00e9 \\\"down\\\"\" rt=- ok=0"}
LOG
cat >"$TMP/expected-app.txt" <<'JSON'
{"kubernetes":{"pod":"web-1","ns":"shop"},"log":"level=info msg=\"order placed\" rt=0.042 ok=true","level":"info","msg":"order placed","rt":0.042,"ok":true}
{"kubernetes":{"pod":"web-3","ns":"shop"},"log":"level=error msg=\"café \\\"down\\\"\" rt=- ok=0","level":"error","msg":"café \"down\"","rt":null,"ok":false}
JSON
check "key + logfmt + types, then grep exclude on a nested key"
run "${AGENT[@]}" -f '{"inputs":[{"plugin":"stdin:V1"}],
    "filters":[{"plugin":"parser:V1","format":"logfmt","key":"log","types":{"rt":"float","ok":"bool"}},
               {"plugin":"grep:V1","exclude":[{"key":"kubernetes.ns","regex":"^kube-"}]}],
    "outputs":[{"plugin":"stdout:V1"}]}' <"$TMP/app.log"
[ "$RC" -eq 0 ] || fail "exit $(_describe_rc "$RC"): $(cat "$ERR")"
expect_same_file "$TMP/expected-app.txt" "$OUT" "key-parsed output"

check "on_error drop: failures are dropped and counted"
port="$(free_port)"
open_idle_stdin
"$MAFIO" "-http-address=127.0.0.1:$port" "-data-dir=$TMP/state2" -log-level=warn -f '{
    "inputs":[{"plugin":"stdin:V1"}],
    "filters":[{"plugin":"parser:V1","id":"p","format":"nginx","on_error":"drop"}],
    "outputs":[{"plugin":"stdout:V1"}]}' <"$IDLE_STDIN" >"$TMP/drop.out" 2>"$TMP/drop.err" &
pid=$!
BG_PIDS+=("$pid")
cat "$TMP/access.log" >&9
_counted() {
    local m
    m="$(curl -s "http://127.0.0.1:$port/metrics")" || return 1
    grep -q '^mafio_plugin_parse_errors_total{component="p",.*} 1$' <<<"$m" &&
        grep -q '^mafio_plugin_dropped_total{component="p",.*} 1$' <<<"$m"
}
wait_until "parse_errors and dropped are 1" _counted
wait_until "4 records are written" eval '[ "$(wc -l <"$TMP/drop.out")" = 4 ]'
grep -q "not an access log" "$TMP/drop.out" && fail "the failed line was written"
kill -TERM "$pid"
wait_exit "$pid"
[ "$RC" -eq 0 ] || fail "exit $(_describe_rc "$RC"): $(cat "$TMP/drop.err")"

check "on_error {tag}: failures go on unchanged under that tag, to the outputs that take it"
cat >"$TMP/mixed.log" <<'LOG'
10.0.0.1 - - [24/Nov/2025:09:00:01 +0000] "GET /a HTTP/1.1" 200 10 "-" "curl/8"
not an access log
10.0.0.2 - - [24/Nov/2025:09:00:02 +0000] "GET /b HTTP/1.1" 500 20 "-" "curl/8"
garbage again
LOG
port="$(free_port)"
run "$MAFIO" "-http-address=127.0.0.1:$port" "-data-dir=$TMP/state3" -log-level=warn -f "{
    \"inputs\":[{\"plugin\":\"stdin:V1\",\"tag\":\"web\"}],
    \"filters\":[{\"plugin\":\"parser:V1\",\"id\":\"p\",\"format\":\"nginx\",\"on_error\":{\"tag\":\"web.unparsed\"}},
                 {\"plugin\":\"modify:V1\",\"match\":\"web.unparsed\",\"wrap\":true,\"set\":{\"why\":\"\${tag}\"}}],
    \"outputs\":[{\"plugin\":\"logr:V1\",\"match\":\"web\",\"path\":\"$TMP/parsed.out\"},
                 {\"plugin\":\"logr:V1\",\"match\":\"web.unparsed\",\"path\":\"$TMP/unparsed.out\"}]}" <"$TMP/mixed.log"
[ "$RC" -eq 0 ] || fail "exit $(_describe_rc "$RC"): $(cat "$ERR")"
grep -c '"status":' "$TMP/parsed.out" | grep -qx 2 || fail "parsed.out: $(cat "$TMP/parsed.out")"
grep -q 'garbage\|not an access' "$TMP/parsed.out" && fail "a failed line went to the parsed output"
printf '%s\n' '{"log":"not an access log","why":"web.unparsed"}' '{"log":"garbage again","why":"web.unparsed"}' >"$TMP/unparsed.want"
expect_same_file "$TMP/unparsed.want" "$TMP/unparsed.out" "the retagged records, through the filter that takes their tag"

bad() { # bad FILTERS_JSON EXPECTED_STDERR...: refused at start with exit 1, nothing written
    run "${AGENT[@]}" -input=stdin:V1 -output=stdout:V1 -f "{\"filters\":[$1]}" <"$TMP/access.log"
    [ "$RC" -eq 1 ] || fail "$1: expected exit 1, got $(_describe_rc "$RC")"
    shift
    expect_stderr_contains "$@"
    [ -s "$OUT" ] && fail "records were written although the configuration was refused"
}
check "bad options name the option"
bad '{"plugin":"parser:V1","format":"yaml"}' 'filters[0].format: expected one of "json", "regex"'
bad '{"plugin":"parser:V1","format":"regex"}' 'filters[0].regex: required with format "regex"'
bad '{"plugin":"parser:V1","format":"regex","regex":"(?<a>x"}' 'filters[0].regex: invalid regular expression at offset'
bad '{"plugin":"parser:V1","types":{"rt":"real"}}' 'filters[0].types.rt: expected "int", "float", "bool" or "string", got "real"'
bad '{"plugin":"parser:V1","types":["rt"]}' 'filters[0].types: expected an object'
bad '{"plugin":"parser:V1","time_key":"t","time_format":"%Q"}' 'filters[0].time_format: unknown directive "%Q"'
bad '{"plugin":"parser:V1","on_error":{"tag":""}}' 'filters[0].on_error: expected "pass", "drop" or {"tag": "a tag"}'
bad '{"plugin":"parser:V1","on_error":"retry"}' 'filters[0].on_error: expected "pass", "drop" or {"tag": "a tag"}'
bad '{"plugin":"parser:V1","fromat":"json"}' 'filters[0].fromat: unknown option (did you mean "format"?)'
bad '{"plugin":"grep:V1"}' 'filters[0].regex: required (or exclude)'
bad '{"plugin":"grep:V1","regex":["a",{"regex":"b"}]}' 'filters[0].regex[1].key: required'
bad '{"plugin":"grep:V1","exclude":{"key":"s","regex":"[x"}}' 'filters[0].exclude.regex: invalid regular expression'

pass
