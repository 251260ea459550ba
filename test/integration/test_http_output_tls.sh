#!/usr/bin/env bash
# http:V1 over https against a server with a self-signed certificate (made here with openssl):
#   - ca_file naming that certificate: delivered;
#   - no ca_file (the system's CAs, which do not know it): the handshake fails, the request is
#     retried (counted; nothing is sent in clear or to an unverified server) until stopped;
#   - insecure: true: delivered, with a warning.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/http_lib.sh"

command -v openssl >/dev/null || fail "openssl is missing (packaging/install-deps.sh installs it)"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$TMP/key.pem" -out "$TMP/cert.pem" 2>"$TMP/openssl.log" ||
    fail "openssl could not make a certificate: $(cat "$TMP/openssl.log")"
start_http_server tls --mode check --format raw --tls-cert "$TMP/cert.pem" --tls-key "$TMP/key.pem"
seq 1 500 >"$TMP/input"
config() { # EXTRA-OPTIONS -> a config posting to the TLS server
    echo "{\"shutdown_grace\": \"1s\", \"inputs\": [{\"plugin\": \"stdin\"}], \"filters\": [],
      \"outputs\": [{\"plugin\": \"http:V1\", \"url\": \"https://127.0.0.1:$HTTP_PORT/in\",
                     \"format\": \"raw\", \"batch_records\": 100 $1}]}"
}

check "ca_file trusts the server: everything delivered over TLS"
run "$MAFIO" -f "$(config ", \"ca_file\": \"$TMP/cert.pem\"")" -plugins-dir "$MAFIO_PLUGINS" \
    -data-dir "$TMP/d1" -http-address off <"$TMP/input"
[ "$RC" -eq 0 ] || fail "mafio exited with $(_describe_rc "$RC")"
sort -n "$HTTP_STATE/accepted" | cmp -s - "$TMP/input" || fail "records differ"

check "without ca_file the certificate is not trusted: retried, never sent, until stopped"
: >"$HTTP_STATE/accepted"
"$MAFIO" -f "$(config "")" -plugins-dir "$MAFIO_PLUGINS" -data-dir "$TMP/d2" -http-address off \
    <"$TMP/input" >"$TMP/agent.out" 2>"$TMP/agent.err" &
AGENT=$!
BG_PIDS+=("$AGENT")
wait_until "a TLS failure is logged" grep -q "TLS" "$TMP/agent.err"
kill -TERM "$AGENT"
wait_exit "$AGENT"
[ "$RC" -eq 3 ] || fail "mafio exited with $(_describe_rc "$RC") (expected 3: records undelivered)"
[ ! -s "$HTTP_STATE/accepted" ] || fail "records reached a server whose certificate was not verified"
grep -q "retrying with backoff" "$TMP/agent.err" || fail "no retry line: $(cat "$TMP/agent.err")"

check "insecure: true delivers, and says so"
run "$MAFIO" -f "$(config ", \"insecure\": true")" -plugins-dir "$MAFIO_PLUGINS" \
    -data-dir "$TMP/d3" -http-address off <"$TMP/input"
[ "$RC" -eq 0 ] || fail "mafio exited with $(_describe_rc "$RC")"
sort -n "$HTTP_STATE/accepted" | cmp -s - "$TMP/input" || fail "records differ"
expect_stderr_contains "certificate is NOT verified"
[ "$(grep -c "NOT verified" "$ERR")" -eq 1 ] || fail "the insecure warning is not logged exactly once"
pass
