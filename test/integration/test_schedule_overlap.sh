#!/usr/bin/env bash
# overlap "skip" (issue 11): a scheduled input whose run lasts longer than its period. stdin on
# "@every 1s" reads a FIFO that this test keeps open, so the first run lasts until the test
# closes it; the ticks that come meanwhile are skipped and counted, and /pipeline shows the
# run as running, then its result. No duration is asserted: the test waits until the wall clock
# has passed the tick that must be skipped before it ends the run.
. "$(dirname "$0")/lib.sh"

port=$(free_port)
mkfifo "$TMP/in.fifo"
exec 3<>"$TMP/in.fifo" # read-write: never blocks; the FIFO ends when this closes
"$MAFIO" -http-address "127.0.0.1:$port" -data-dir "$TMP/data" \
    -f '{"inputs":[{"plugin":"stdin","id":"job","schedule":"@every 1s"}],"filters":[],
         "outputs":[{"plugin":"logr","path":"'"$TMP"'/out.log"}]}' \
    <"$TMP/in.fifo" 3>&- >"$OUT" 2>"$ERR" &
PID=$!
BG_PIDS+=("$PID")

sched() { input_schedule "$port" "$1"; }
running() { [ "$(sched running 2>/dev/null)" = "True" ]; }
wait_until "the first run began" running
echo "during the run" >&3
has_line() { grep -q "during the run" "$TMP/out.log" 2>/dev/null; }
wait_until "the run's record arrived" has_line
check "/pipeline shows the run as running"
[ "$(sched last_result)" = "running" ] || fail "last_result: $(sched last_result)"
# The fire time shown is the run's next tick; wait until the wall clock is past it.
next=$(sched next_fire)
past_tick() { [ "$(date +%s)" -gt $(($(date -d "$next" +%s) + 1)) ]; }
wait_until "the wall clock passed the tick at $next" past_tick
exec 3>&- # end of input: the run ends
ended() { [ "$(sched running 2>/dev/null)" = "False" ]; }
wait_until "the run ended" ended
check "the ticks during the run were skipped and counted"
skipped=$(sched skipped_ticks)
[ "$skipped" -ge 1 ] || fail "skipped_ticks is $skipped"
[ "$(sched last_result)" = "ok" ] || fail "last_result: $(sched last_result)"
check "the agent goes on (the next runs find stdin at its end at once)"
more_runs() { [ "$(sched runs)" -ge 3 ]; }
wait_until "two more runs" more_runs
kill -0 "$PID" || fail "the agent exited: $(tail -5 "$ERR")"
kill -TERM "$PID"
wait_exit "$PID"
[ "$RC" -eq 0 ] || fail "exit $(_describe_rc "$RC")"
[ "$(grep -c 'during the run' "$TMP/out.log")" -eq 1 ] || fail "the record came more than once"
pass
