#!/usr/bin/env bash
# rabbitmq:V1 against a private RabbitMQ node (Debian's rabbitmq-server, started here on free
# loopback ports): MAFIO_RMQ_RECORDS numbered records (default 1,000,000, the issue's figure:
# about a minute here, broker start included) all arrive exactly once; a dead URL first in
# `urls` fails over to the live one; the original's option names with password_file; `bulk`
# framing as the original wrote it; unroutable messages dropped and counted, or retried until a
# queue is bound; a wrong password is retried (logged once, redacted) and the shutdown grace
# ends it. No password may reach a log line.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rabbitmq_node.sh"

rmq_scenario_setup
N="${MAFIO_RMQ_RECORDS:-1000000}"
SECRET='s3cr3t-Pw'

log "starting a private RabbitMQ node (with a TLS listener)"
RMQ_TLS=1 rmq_start "$TMP/rmq"
rmqctl add_user mafio "$SECRET" >/dev/null || fail "add_user failed"
rmqctl set_permissions -p / mafio '.*' '.*' '.*' >/dev/null || fail "set_permissions failed"
DEAD="$(free_port)" # nothing listens there
GOOD="127.0.0.1:$RMQ_PORT"

# agent NAME OUTPUT_JSON: runs the agent on $TMP/NAME.in (stdin) with one rabbitmq output.
agent() {
    run "$MAFIO" -plugins-dir "$MAFIO_PLUGINS" -http-address=off -data-dir="$TMP/state-$1" \
        -f "{\"inputs\":[{\"plugin\":\"stdin:V1\"}],\"filters\":[],\"outputs\":[$2]}" <"$TMP/$1.in"
}
consume() { # QUEUE EXPECTED [args]: the consumer's verdict line in $VERDICT
    local q="$1" n="$2"
    shift 2
    VERDICT="$("$CONSUME" "amqp://mafio:$SECRET@$GOOD/" "$q" "$n" "$@")" ||
        fail "consumer of $q: $VERDICT"
    log "consumer of $q: $VERDICT"
}
no_secret_in_log() {
    check "no password in the log"
    ! grep -qiE "s3cr3t" "$ERR" || fail "the password is in the log (perhaps mangled): $(grep -iE "s3cr3t" "$ERR" | head -n 2)"
}

# 1. Volume, with a dead URL first (failover) and the password inline (redacted in messages).
rmq_numbered 1 "$N" >"$TMP/main.in"
agent main "{\"plugin\":\"rabbitmq:V1\",\"queue\":\"q-main\",\"urls\":[\"amqp://mafio:$SECRET@127.0.0.1:$DEAD/\",\"amqp://mafio:$SECRET@$GOOD/\"]}"
[ "$RC" -eq 0 ] || fail "agent exited $RC"
expect_stderr_contains "could not connect to amqp://mafio:***@127.0.0.1:$DEAD/" \
    "connected to amqp://mafio:***@$GOOD/ instead"
no_secret_in_log
check "$N records in q-main, each once"
consume q-main "$N"
case "$VERDICT" in *"missing=0 duplicates=0 bad=0"*) ;; *) fail "expected every record exactly once: $VERDICT" ;; esac

# 2. The original's option names: rmq_address (comma-separated) and rmq_key; password_file.
printf '%s\n' "$SECRET" >"$TMP/password"
rmq_numbered 1 10000 >"$TMP/orig.in"
agent orig "{\"plugin\":\"rabbitmq:V1\",\"rmq_key\":\"q-orig\",\"password_file\":\"$TMP/password\",\"rmq_address\":\"amqp://mafio@127.0.0.1:$DEAD/, amqp://mafio@$GOOD/%2f\"}"
[ "$RC" -eq 0 ] || fail "agent exited $RC"
expect_stderr_contains "connected to amqp://mafio@$GOOD/%2f instead"
no_secret_in_log
consume q-orig 10000

# 3. bulk: one message per write holding [{"Data":"<base64>"},...], as the original sent.
rmq_numbered 1 10000 >"$TMP/bulk.in"
agent bulk "{\"plugin\":\"rabbitmq:V1\",\"queue\":\"q-bulk\",\"message\":\"bulk\",\"urls\":\"amqp://mafio:$SECRET@$GOOD/\"}"
[ "$RC" -eq 0 ] || fail "agent exited $RC"
msgs="$(rmq_messages q-bulk)"
check "10000 records went as a few bulk messages (got $msgs messages)"
[ "$msgs" -ge 1 ] && [ "$msgs" -le 1000 ] || fail "expected bulk messages of many records, got $msgs messages"
consume q-bulk 10000 --bulk

# 4. An exchange with no queue bound, on_unroutable drop: every record returned, dropped, counted.
rmq_numbered 1 1000 >"$TMP/drop.in"
agent drop "{\"plugin\":\"rabbitmq:V1\",\"exchange\":\"x-nobody\",\"routing_key\":\"nowhere\",\"on_unroutable\":\"drop\",\"urls\":[\"amqp://mafio:$SECRET@$GOOD/\"]}"
[ "$RC" -eq 0 ] || fail "agent exited $RC"
expect_stderr_contains "1000 unroutable records dropped in total (on_unroutable: drop)" "312 NO_ROUTE"

# 5. on_unroutable retry: kept and retried until a queue is bound, then all delivered. No
#    routing_key: each batch goes out with its input's tag (app.logs), which 'app.#' binds.
rmq_numbered 1 1000 >"$TMP/retry.in"
"$MAFIO" -plugins-dir "$MAFIO_PLUGINS" -http-address=off -data-dir="$TMP/state-retry" \
    -f "{\"inputs\":[{\"plugin\":\"stdin:V1\",\"tag\":\"app.logs\"}],\"filters\":[],\"outputs\":[{\"plugin\":\"rabbitmq:V1\",\"retry_max\":\"500ms\",\"exchange\":\"x-later\",\"exchange_type\":\"topic\",\"on_unroutable\":\"retry\",\"urls\":[\"amqp://mafio:$SECRET@$GOOD/\"]}]}" \
    <"$TMP/retry.in" 2>"$TMP/retry.err" &
agent_pid=$!
BG_PIDS+=("$agent_pid")
wait_until "the agent says the records are unroutable" grep -q "records unroutable (312 NO_ROUTE)" "$TMP/retry.err"
check "the agent is still running (retrying), not done"
kill -0 "$agent_pid" 2>/dev/null || fail "the agent ended while its records were unroutable"
consume q-later 1000 --bind x-later 'app.#'
wait_exit "$agent_pid"
[ "$RC" -eq 0 ] || fail "agent exited $RC: $(head -c 2000 "$TMP/retry.err")"
grep -q "resumed after" "$TMP/retry.err" || fail "no 'resumed' line after the unroutable streak"
check "one warning for the whole unroutable streak, not one per attempt"
[ "$(grep -c "records unroutable (312 NO_ROUTE)" "$TMP/retry.err")" -le 2 ] ||
    fail "the unroutable streak was logged per attempt: $(grep -c "records unroutable" "$TMP/retry.err") lines"

# 6. A wrong password: retried with backoff, logged (redacted) once, and SIGTERM ends the agent
#    after the shutdown grace (exit 3: the records were not delivered and will be read again).
printf '1 one\n' >"$TMP/bad.in"
mkfifo "$TMP/bad.fifo"
"$MAFIO" -plugins-dir "$MAFIO_PLUGINS" -http-address=off -data-dir="$TMP/state-bad" \
    -f "{\"shutdown_grace\":\"1s\",\"inputs\":[{\"plugin\":\"stdin:V1\"}],\"filters\":[],\"outputs\":[{\"plugin\":\"rabbitmq:V1\",\"queue\":\"q-bad\",\"urls\":[\"amqp://mafio:wrong-$SECRET@$GOOD/\"]}]}" \
    <"$TMP/bad.fifo" 2>"$TMP/bad.err" &
agent_pid=$!
BG_PIDS+=("$agent_pid")
exec 8>"$TMP/bad.fifo"
cat "$TMP/bad.in" >&8
wait_until "the agent logs the refused login" grep -q "ACCESS_REFUSED" "$TMP/bad.err"
kill -TERM "$agent_pid"
wait_exit "$agent_pid"
exec 8>&-
cp "$TMP/bad.err" "$ERR"
[ "$RC" -eq 3 ] || fail "expected exit 3 (shutdown grace ran out with records undelivered), got $RC"
expect_stderr_contains "cannot connect to the broker: amqp://mafio:***@$GOOD/: login as \"mafio\""
no_secret_in_log
check "the refused login is logged once per streak"
[ "$(grep -c ACCESS_REFUSED "$ERR")" -eq 1 ] || fail "logged $(grep -c ACCESS_REFUSED "$ERR") times"

# 7. TLS: amqps:// verified against the test CA (host name included), and refused without it.
rmq_numbered 1 1000 >"$TMP/tls.in"
agent tls "{\"plugin\":\"rabbitmq:V1\",\"queue\":\"q-tls\",\"ca_file\":\"$RMQ_TLS_CA\",\"urls\":[\"amqps://mafio:$SECRET@localhost:$RMQ_TLS_PORT/\"]}"
[ "$RC" -eq 0 ] || fail "agent over TLS exited $RC"
no_secret_in_log
consume q-tls 1000
printf '1 one\n' >"$TMP/tls-bad.in"
"$MAFIO" -plugins-dir "$MAFIO_PLUGINS" -http-address=off -data-dir="$TMP/state-tls-bad" \
    -f "{\"shutdown_grace\":\"1s\",\"inputs\":[{\"plugin\":\"stdin:V1\"}],\"filters\":[],\"outputs\":[{\"plugin\":\"rabbitmq:V1\",\"queue\":\"q-tls-bad\",\"urls\":[\"amqps://mafio:$SECRET@localhost:$RMQ_TLS_PORT/\"]}]}" \
    <"$TMP/bad.fifo" 2>"$TMP/tls-bad.err" &
agent_pid=$!
BG_PIDS+=("$agent_pid")
exec 8>"$TMP/bad.fifo"
cat "$TMP/tls-bad.in" >&8
wait_until "the agent refuses the unknown certificate" grep -q "cannot connect" "$TMP/tls-bad.err"
kill -TERM "$agent_pid"
wait_exit "$agent_pid"
exec 8>&-
cp "$TMP/tls-bad.err" "$ERR"
[ "$RC" -eq 3 ] || fail "expected exit 3 without a trusted certificate, got $RC"
no_secret_in_log

pass
