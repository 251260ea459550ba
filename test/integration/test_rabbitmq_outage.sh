#!/usr/bin/env bash
# rabbitmq:V1 across broker outages, against a private RabbitMQ node: the broker application is
# stopped for 20 s mid-stream and started again, then the whole node is killed (SIGKILL) and
# restarted on the same data; the agent keeps reading meanwhile (records wait in the pipeline,
# backpressure, never dropped). Every record must be in the queue afterwards: 0 missing, and
# duplicates only for publishes that were unconfirmed when a connection was lost, as the agent
# counts them. The outage is logged once per streak, not once per attempt.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rabbitmq_node.sh"

rmq_scenario_setup
N="${MAFIO_RMQ_OUTAGE_RECORDS:-90000}"
THIRD=$((N / 3))

log "starting a private RabbitMQ node"
rmq_start "$TMP/rmq"

mkfifo "$TMP/in.fifo"
# retry_max 1s: after the broker is back, the next attempt comes within a second (the default
# backoff doubles to 30 s, which would only make this test slower).
"$MAFIO" -plugins-dir "$MAFIO_PLUGINS" -http-address=off -data-dir="$TMP/state" \
    -f "{\"inputs\":[{\"plugin\":\"stdin:V1\"}],\"filters\":[],\"outputs\":[{\"plugin\":\"rabbitmq:V1\",\"retry_max\":\"1s\",\"queue\":\"q-outage\",\"heartbeat\":5,\"urls\":[\"$RMQ_URL\"]}]}" \
    <"$TMP/in.fifo" 2>"$TMP/agent.err" &
agent_pid=$!
BG_PIDS+=("$agent_pid")
exec 7>"$TMP/in.fifo"

queue_has() { [ "$(rmq_messages q-outage)" -ge "$1" ]; }

# 1. A third of the records, and the broker application stopped once some are in the queue.
rmq_numbered 1 "$THIRD" >&7
wait_until "the queue holds records" queue_has 1
log "stopping the broker application for 20 s"
rmq_stop_app
rmq_numbered $((THIRD + 1)) $((2 * THIRD)) >&7 &
writer=$!
wait_until "the agent notices the outage" grep -q "retrying with backoff" "$TMP/agent.err"
sleep 20
rmq_start_app
wait "$writer"
wait_until "the agent publishes again" grep -q "resumed after" "$TMP/agent.err"

# 2. The last third, and the whole node killed hard mid-stream and restarted on its data:
#    what it confirmed was on disk, the rest is sent again.
rmq_numbered $((2 * THIRD + 1)) "$N" >&7 &
writer=$!
wait_until "the queue holds records of the last third" queue_has $((2 * THIRD + 1))
log "killing the node (SIGKILL) and starting it again on the same data"
rmq_kill
rmq_start "$TMP/rmq"
wait "$writer"
exec 7>&- # end of input: the agent delivers the rest and exits
wait_exit "$agent_pid"
cp "$TMP/agent.err" "$ERR"
[ "$RC" -eq 0 ] || fail "the agent exited $RC"

# At most: every resent record counted as a possible duplicate.
resent="$(sed -n 's/.*; \([0-9]*\) records were published again after unconfirmed attempts in total.*/\1/p; s/.* \([0-9]*\) records were published again after unconfirmed attempts in total.*/\1/p' "$ERR" | tail -n 1)"
resent="${resent:-0}"
VERDICT="$("$CONSUME" "$RMQ_URL" q-outage "$N")" || fail "consumer: $VERDICT"
log "consumer: $VERDICT; the agent counted $resent possible duplicates"
dups="$(sed -n 's/.*duplicates=\([0-9]*\).*/\1/p' <<<"$VERDICT")"
check "0 missing (the consumer's exit status), duplicates ($dups) <= possible duplicates ($resent)"
[ "$dups" -le "$resent" ] || fail "$dups duplicates but the agent counted only $resent unconfirmed resends"
check "each outage is logged as one streak, not once per attempt"
streaks="$(grep -c "retrying with backoff" "$ERR")"
[ "$streaks" -le 4 ] || fail "$streaks failure lines for two outages: $(grep "retrying with backoff" "$ERR" | head -n 5)"
expect_stderr_contains "resumed after"
pass
