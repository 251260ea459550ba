#!/usr/bin/env bash
# A checkpoint store that failed is retried until it succeeds, even when no new data arrives,
# with mafio_checkpoint_store_failing at 1 meanwhile; a store that still fails at shutdown is
# an error and exit code 4 (issue 16 item 2). The failure is provoked by a regular file where
# the checkpoints directory must be (root ignores permissions, so a read-only dir would not do).
. "$(dirname "$0")/tail_lib.sh"

LOG="$TMP/app.log"
seq 1 1000 >"$LOG"
mkdir -p "$DATA_DIR"
echo "not a directory" >"$DATA_DIR/checkpoints"
PORT="$(free_port)"
CONFIG="$(reader_config "\"id\":\"app\",\"path\":$(json_str "$LOG")" '{"plugin":"stdout"}')"
AGENT_FLAGS=(-data-dir="$DATA_DIR" -log-level=info -http-address="127.0.0.1:$PORT")

metric() { curl -s "http://127.0.0.1:$PORT/metrics" | sed -n "s/^$1{component=\"app\"[^}]*} //p"; }
store_failing() { [ "$(metric mafio_checkpoint_store_failing)" = 1 ]; }
store_ok() { [ "$(metric mafio_checkpoint_store_failing)" = 0 ]; }

check "while the checkpoints directory cannot be made, stores fail and say so"
start_agent "$CONFIG" "$TMP/out1"
wait_lines 1000 "$TMP/out1"
wait_until "mafio_checkpoint_store_failing is 1" store_failing
grep -q "cannot store checkpoints" "$ERR" || fail "no 'cannot store checkpoints' line"
check "/health says degraded (200), naming the input"
health=$(curl -s -w ' %{http_code}' "http://127.0.0.1:$PORT/health")
grep -q '"status": "degraded"' <<<"$health" || fail "/health: $health"
grep -q 'app (filereader:V2): its checkpoints cannot be stored' <<<"$health" || fail "/health: $health"
[ "${health##* }" = 200 ] || fail "/health answered ${health##* }"

check "once the obstacle is gone, the committed position is stored without new data"
rm "$DATA_DIR/checkpoints"
wait_until "the checkpoint file exists" test -s "$DATA_DIR/checkpoints/app.ckpt"
wait_until "mafio_checkpoint_store_failing is 0" store_ok
curl -s "http://127.0.0.1:$PORT/health" | grep -q '"status": "ok"' || fail "/health is not ok again"
grep -q "checkpoints are stored again" "$ERR" || fail "no 'stored again' line"
stop_agent

check "the next start resumes: nothing is delivered twice"
seq 1001 1010 >>"$LOG"
start_agent "$CONFIG" "$TMP/out2"
wait_lines 10 "$TMP/out2"
stop_agent
[ "$(head -1 "$TMP/out2")" = 1001 ] || fail "the second run began with $(head -1 "$TMP/out2"), not 1001"

check "a store that still fails at shutdown exits 4, naming the problem"
rm -rf "$DATA_DIR/checkpoints"
echo "not a directory" >"$DATA_DIR/checkpoints"
seq 1011 1020 >>"$LOG"
start_agent "$CONFIG" "$TMP/out3"
wait_lines 10 "$TMP/out3"
kill -TERM "$AGENT_PID"
wait_exit "$AGENT_PID"
[ "$RC" -eq 4 ] || fail "exit code $(_describe_rc "$RC"), expected 4"
grep -q "the last checkpoints could not be stored" "$ERR" || fail "no final error line"
pass
